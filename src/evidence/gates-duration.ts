/**
 * Duration gates: the whole run and each phase against their limits. A run that stopped early, or a
 * phase that never started or was cancelled, has no duration to judge: `not-run`, never a pass.
 */
import type { GatesSpec } from '../dsl/plan.js';
import type { PhaseEvidence, RunScope } from './evidence-input.js';
import { formatDuration } from '../dsl/duration.js';
import type { GateResult } from './types.js';

export function durationGates(
  spec: NonNullable<GatesSpec['duration']>,
  phases: readonly PhaseEvidence[],
  totalDurationMs: number,
  scope: RunScope = {},
): GateResult[] {
  const results: GateResult[] = [];
  if (spec.maxMs !== undefined) {
    const unfinished = phases.filter((p) => p.durationMs === undefined || p.status === 'cancelled').map((p) => p.name);
    const why =
      scope.stopped !== undefined
        ? `the run stopped before it finished (${scope.stopped})`
        : unfinished.length > 0
          ? `${unfinished.join(', ')} did not run to the end`
          : undefined;
    results.push(
      why
        ? notRun('duration', spec.maxMs, `${why}: its duration is not that of a whole run`)
        : durationRow('duration', spec.maxMs, totalDurationMs, 'the run'),
    );
  }
  for (const [phaseName, maxMs] of Object.entries(spec.phasesMs)) {
    const name = `duration[${phaseName}]`;
    const phase = phases.find((p) => p.name === phaseName);
    if (phase === undefined) {
      results.push({
        ...base(name, maxMs),
        actual: 'n/a',
        status: 'not-selected',
        message: `phase ${phaseName} is not selected in this run`,
      });
    } else if (phase.durationMs === undefined || phase.status === 'cancelled') {
      const what = phase.durationMs === undefined ? 'never started' : 'was stopped before it finished';
      results.push(notRun(name, maxMs, `phase ${phaseName} ${what} (${phase.status}): no duration to check`));
    } else {
      results.push(durationRow(name, maxMs, phase.durationMs, `phase ${phaseName}`));
    }
  }
  return results;
}

const base = (name: string, maxMs: number) =>
  ({ gate: 'duration', name, threshold: `≤ ${formatDuration(maxMs)}` }) as const;

function notRun(name: string, maxMs: number, message: string): GateResult {
  return { ...base(name, maxMs), actual: 'n/a', status: 'not-run', message };
}

function durationRow(name: string, maxMs: number, actualMs: number, what: string): GateResult {
  const passed = actualMs <= maxMs;
  return {
    ...base(name, maxMs),
    actual: formatDuration(actualMs),
    status: passed ? 'pass' : 'fail',
    ...(passed ? {} : { message: `${what} took ${formatDuration(actualMs)}, over the ${formatDuration(maxMs)} limit` }),
  };
}
