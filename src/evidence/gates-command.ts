/** Command gates: the check `gate:NAME` ran and exited 0. */
import type { GatesSpec } from '../dsl/plan.js';
import type { CheckOutcome, RunScope } from './evidence-input.js';
import type { GateResult } from './types.js';

export function commandGates(
  commands: GatesSpec['commands'],
  checks: Readonly<Record<string, CheckOutcome>>,
  scope: RunScope = {},
): GateResult[] {
  return Object.keys(commands).map((gateName) => {
    const checkName = `gate:${gateName}`;
    const outcome = checks[checkName];
    const base = { gate: gateName, name: gateName, threshold: 'exit 0' };
    const stopped = scope.stopped !== undefined && (outcome === undefined || 'error' in outcome);
    if (stopped)
      return {
        ...base,
        actual: 'n/a',
        status: 'not-run',
        message: `the run stopped before the check ${checkName} ran (${scope.stopped})`,
      };
    if (outcome === undefined)
      return { ...base, actual: 'n/a', status: 'error', message: `the check ${checkName} did not run` };
    if ('error' in outcome)
      return {
        ...base,
        actual: 'n/a',
        status: 'error',
        message: `the check ${checkName} could not run: ${outcome.error}`,
      };
    if (outcome.exitCode === 0) return { ...base, actual: 'exit 0', status: 'pass' };
    return {
      ...base,
      actual: `exit ${outcome.exitCode}`,
      status: 'fail',
      message: `the check ${checkName} exited ${outcome.exitCode}: its output is in run.log`,
    };
  });
}
