/** Duration gates: the whole run and each phase against their limits. */
import type { GatesSpec } from '../dsl/plan.js';
import type { PhaseEvidence } from './evidence-input.js';
import { formatDuration } from '../dsl/duration.js';
import type { GateResult } from './types.js';

export function durationGates(spec: NonNullable<GatesSpec['duration']>, phases: readonly PhaseEvidence[], totalDurationMs: number): GateResult[] {
  const results: GateResult[] = [];
  if (spec.maxMs !== undefined) results.push(durationRow('duration', spec.maxMs, totalDurationMs, 'the run'));
  for (const [phaseName, maxMs] of Object.entries(spec.phasesMs)) {
    const name = `duration[${phaseName}]`;
    const phase = phases.find((p) => p.name === phaseName);
    if (phase?.durationMs === undefined) {
      const why = phase === undefined ? 'did not run in this selection' : `never started (${phase.status})`;
      results.push({ gate: 'duration', name, threshold: `≤ ${formatDuration(maxMs)}`, actual: 'n/a', status: 'error', message: `phase ${phaseName} ${why}: no duration to check` });
    } else {
      results.push(durationRow(name, maxMs, phase.durationMs, `phase ${phaseName}`));
    }
  }
  return results;
}

function durationRow(name: string, maxMs: number, actualMs: number, what: string): GateResult {
  const passed = actualMs <= maxMs;
  return {
    gate: 'duration',
    name,
    threshold: `≤ ${formatDuration(maxMs)}`,
    actual: formatDuration(actualMs),
    status: passed ? 'pass' : 'fail',
    ...(passed ? {} : { message: `${what} took ${formatDuration(actualMs)}, over the ${formatDuration(maxMs)} limit` }),
  };
}
