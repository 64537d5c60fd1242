/** Duration gates (total and per phase) and command gates (`gate:NAME` exits 0). */
import type { GatesSpec } from '../dsl/plan.js';
import type { CheckOutcome, PhaseEvidence } from './evidence-input.js';
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
