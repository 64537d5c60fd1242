/**
 * The one ranking of evidence statuses. Worse wins when statuses combine (a gate group, a criterion):
 * error (evidence could not be read or evaluated) over fail over unverified (nothing showed it either
 * way) over pass. Neither error nor unverified is a pass.
 */
import type { CriterionStatus, GateStatus } from './types.js';

const RANK: Readonly<Record<CriterionStatus, number>> = { pass: 0, unverified: 1, fail: 2, error: 3 };

export function worseStatus<S extends CriterionStatus>(a: S, b: S): S {
  return RANK[b] > RANK[a] ? b : a;
}

/** The worst of `statuses`; `pass` for none. */
export function worstStatus<S extends CriterionStatus>(statuses: readonly S[]): S | 'pass' {
  return statuses.reduce<S | 'pass'>((worst, s) => worseStatus<S | 'pass'>(worst, s), 'pass');
}

/** Per gate group (`coverage`, `tests`, `duration`, a command gate): the worst row status, in first-seen order. */
export function gateGroupStatus(rows: readonly { readonly gate: string; readonly status: GateStatus }[]): Record<string, GateStatus> {
  const groups: Record<string, GateStatus> = {};
  for (const row of rows) groups[row.gate] = worseStatus(groups[row.gate] ?? 'pass', row.status);
  return groups;
}
