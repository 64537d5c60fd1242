import type { GateInput } from './evidence-input.js';
import { changedLinesGate, type ChangedLinesOutcome } from './gates-changed.js';
import { globalCoverageGates, phaseCoverageGates } from './gates-coverage.js';
import { commandGates } from './gates-command.js';
import { durationGates } from './gates-duration.js';
import { testGates } from './gates-tests.js';
import type { GateResult } from './types.js';

export { gateGroupStatus } from './status.js';

/**
 * Every gate row of the plan, in a stable order: coverage (global, then per phase), tests, duration,
 * commands. Unreadable evidence makes a row `error`, evidence that never came because the run stopped
 * `not-run`, evidence about phases the selection left out `not-selected`; never `pass`.
 */
export function evaluateGates(input: GateInput): GateResult[] {
  const { gates, phases } = input;
  return [
    ...(gates.coverage === undefined ? [] : globalCoverageGates(gates.coverage, phases, input)),
    ...phaseCoverageGates(gates.phaseCoverage, phases),
    ...(gates.changedLines === undefined ? [] : [changedLinesOutcome(input)!.row]),
    ...(gates.tests === undefined ? [] : testGates(gates.tests, phases, input)),
    ...(gates.duration === undefined ? [] : durationGates(gates.duration, phases, input.totalDurationMs, input)),
    ...commandGates(gates.commands, input.checks, input),
  ];
}

/** The changed-lines gate's row and per-file report; undefined when the plan has no such gate. */
export function changedLinesOutcome(input: GateInput): ChangedLinesOutcome | undefined {
  const spec = input.gates.changedLines;
  if (spec === undefined) return undefined;
  return changedLinesGate({ ...input, spec, changes: input.changes, planDir: input.planDir ?? '.' });
}
