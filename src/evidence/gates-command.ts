/** Command gates: the check `gate:NAME` ran and exited 0. */
import type { GatesSpec } from '../dsl/plan.js';
import type { CheckOutcome } from './evidence-input.js';
import type { GateResult } from './types.js';

export function commandGates(commands: GatesSpec['commands'], checks: Readonly<Record<string, CheckOutcome>>): GateResult[] {
  return Object.keys(commands).map((gateName) => {
    const checkName = `gate:${gateName}`;
    const outcome = checks[checkName];
    const base = { gate: gateName, name: gateName, threshold: 'exit 0' };
    if (outcome === undefined) return { ...base, actual: 'n/a', status: 'error', message: `the check ${checkName} did not run` };
    if ('error' in outcome) return { ...base, actual: 'n/a', status: 'error', message: `the check ${checkName} could not run: ${outcome.error}` };
    return { ...base, actual: `exit ${outcome.exitCode}`, status: outcome.exitCode === 0 ? 'pass' : 'fail' };
  });
}
