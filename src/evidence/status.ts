/**
 * The one ranking of evidence statuses. Worse wins when statuses combine (a gate group, a criterion):
 * error (evidence could not be read or evaluated) over fail over not-run (the run stopped before the
 * evidence came) over unverified (nothing showed it either way) over not-selected (about phases this
 * `--phase` selection left out) over pass. Only pass is a pass.
 */
import type { CriterionStatus, GateStatus } from './types.js';

const RANK: Readonly<Record<CriterionStatus, number>> = {
  pass: 0,
  'not-selected': 1,
  unverified: 2,
  'not-run': 3,
  fail: 4,
  error: 5,
};

export function worseStatus<S extends CriterionStatus>(a: S, b: S): S {
  return RANK[b] > RANK[a] ? b : a;
}

/** The worst of `statuses`; `pass` for none. */
export function worstStatus<S extends CriterionStatus>(statuses: readonly S[]): S | 'pass' {
  return statuses.reduce<S | 'pass'>((worst, s) => worseStatus<S | 'pass'>(worst, s), 'pass');
}

/**
 * Whether a status contradicts a pass verdict. `not-selected` is neutral: the selection left the
 * evidence out on purpose. Everything else but `pass` does (`not-run` on an interrupted or
 * infrastructure-failed run changes nothing: that verdict is already decided).
 */
export function blocksPass(status: CriterionStatus): boolean {
  return status !== 'pass' && status !== 'not-selected';
}

/** Per gate group (`coverage`, `tests`, `duration`, a command gate): the worst row status, in first-seen order. */
export function gateGroupStatus(
  rows: readonly { readonly gate: string; readonly status: GateStatus }[],
): Record<string, GateStatus> {
  const groups: Record<string, GateStatus> = {};
  for (const row of rows) groups[row.gate] = worseStatus(groups[row.gate] ?? 'pass', row.status);
  return groups;
}
