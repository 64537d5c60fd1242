/**
 * Derived facts every output shares: the status a report shows, criteria counts and per-group
 * gate statuses. A recorded verdict of `passed` is never trusted over the evidence beside it.
 */
import type { GateStatus } from '../evidence/types.js';
import type { RunResults, Verdict } from './results.js';

export interface Outcome {
  readonly status: Verdict;
  /** Why a recorded `passed` verdict was overruled, when it was. */
  readonly overruled?: string;
  readonly acceptancePassed: number;
  readonly acceptanceTotal: number;
  /** Gate group → worst row status (`fail` over `error` over `pass`), in first-seen order. */
  readonly gateGroups: Readonly<Record<string, GateStatus>>;
}

export function outcomeOf(results: RunResults): Outcome {
  const acceptancePassed = results.acceptance.filter((c) => c.status === 'pass').length;
  const gateGroups = gateGroupStatuses(results);
  const problems = passProblems(results);
  const overruled = results.verdict === 'passed' && problems.length > 0 ? problems.join(', ') : undefined;
  return {
    status: overruled ? 'failed' : results.verdict,
    ...(overruled ? { overruled } : {}),
    acceptancePassed,
    acceptanceTotal: results.acceptance.length,
    gateGroups,
  };
}

function gateGroupStatuses(results: RunResults): Record<string, GateStatus> {
  const groups: Record<string, GateStatus> = {};
  for (const gate of results.gates) {
    const previous = groups[gate.gate];
    groups[gate.gate] = worse(previous, gate.status);
  }
  return groups;
}

const GATE_RANK: Record<GateStatus, number> = { pass: 0, error: 1, fail: 2 };

function worse(a: GateStatus | undefined, b: GateStatus): GateStatus {
  if (a === undefined) return b;
  return GATE_RANK[a] >= GATE_RANK[b] ? a : b;
}

/** Everything that contradicts a pass: a gate or criterion not passing, a phase not passing. */
function passProblems(results: RunResults): string[] {
  const problems: string[] = [];
  const gates = results.gates.filter((g) => g.status !== 'pass').length;
  const criteria = results.acceptance.filter((c) => c.status !== 'pass').length;
  const phases = results.phases.filter((p) => p.status !== 'passed' && p.status !== 'skipped').length;
  if (gates > 0) problems.push(plural(gates, 'gate') + ' not passing');
  if (criteria > 0) problems.push(plural(criteria, 'criterion', 'criteria') + ' not passing');
  if (phases > 0) problems.push(plural(phases, 'phase') + ' not passing');
  return problems;
}

export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : pluralForm}`;
}
