/**
 * Derived facts every output shares: the status a report shows, criteria counts and per-group
 * gate statuses. A recorded verdict of `passed` is never trusted over the evidence beside it.
 */
import { gateGroupStatus } from '../evidence/status.js';
import type { GateStatus } from '../evidence/types.js';
import type { RunResults } from './results.js';
import { decideVerdict, type Verdict } from './verdict.js';

export interface Outcome {
  readonly status: Verdict;
  /** Why a recorded `passed` verdict was overruled, when it was. */
  readonly overruled?: string;
  readonly acceptancePassed: number;
  readonly acceptanceTotal: number;
  /** Gate group → worst row status (by the one ranking in evidence/status.ts), in first-seen order. */
  readonly gateGroups: Readonly<Record<string, GateStatus>>;
}

export function outcomeOf(results: RunResults): Outcome {
  const { problems } = decideVerdict(results);
  const overruled = results.verdict === 'passed' && problems.length > 0 ? problems.join(', ') : undefined;
  return {
    status: overruled ? 'failed' : results.verdict,
    ...(overruled ? { overruled } : {}),
    acceptancePassed: results.acceptance.filter((c) => c.status === 'pass').length,
    acceptanceTotal: results.acceptance.length,
    gateGroups: gateGroupStatus(results.gates),
  };
}
