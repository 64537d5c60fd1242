import type { GateInput } from './evidence-input.js';
import { globalCoverageGates, phaseCoverageGates } from './gates-coverage.js';
import { commandGates } from './gates-command.js';
import { durationGates } from './gates-duration.js';
import { testGates } from './gates-tests.js';
import type { GateResult } from './types.js';

export { gateGroupStatus } from './status.js';

/**
 * Every gate row of the plan, in a stable order: coverage (global, then per phase), tests, duration,
 * commands. Missing or unreadable evidence makes a row `error`, never `pass`.
 */
export function evaluateGates(input: GateInput): GateResult[] {
  const { gates, phases } = input;
  return [
    ...(gates.coverage === undefined ? [] : globalCoverageGates(gates.coverage, phases)),
    ...phaseCoverageGates(gates.phaseCoverage, phases),
    ...(gates.tests === undefined ? [] : testGates(gates.tests, phases)),
    ...(gates.duration === undefined ? [] : durationGates(gates.duration, phases, input.totalDurationMs)),
    ...commandGates(gates.commands, input.checks),
  ];
}
