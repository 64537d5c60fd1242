/**
 * Acceptance criteria from evidence. Each kind of evidence a criterion lists (phases, tests, gates,
 * command) gives a status (pass, fail, unverified, error, not-run, not-selected) and, unless it passed,
 * the reason in one line; all of them must pass; they combine by the one ranking in status.ts and the
 * criterion states the reason of its worst part. Only pass is a pass.
 */
import type { CriterionSpec } from '../dsl/plan.js';
import {
  declaresEvidence,
  neverCame,
  unselectedNames,
  type CriteriaEvidence,
  type PhaseEvidence,
  type RunScope,
} from './evidence-input.js';
import { capList, testLabel } from './format.js';
import { describeEvidenceError } from './result.js';
import { worstStatus } from './status.js';
import type { CriterionResult, CriterionStatus, TestCase, TestReport } from './types.js';

/** How many lines of evidence per kind a criterion lists before `… and N more`. */
export const MAX_EVIDENCE_LINES = 100;

interface Verdict {
  readonly status: CriterionStatus;
  readonly evidence: readonly string[];
  /** Why it is not pass. */
  readonly reason?: string;
}

export function evaluateCriteria(criteria: readonly CriterionSpec[], evidence: CriteriaEvidence): CriterionResult[] {
  return criteria.map((criterion) => {
    const { phases, tests, gates, command } = criterion.verifiedBy;
    const verdicts: Verdict[] = [];
    if (phases !== undefined) verdicts.push(byPhases(phases, evidence.phases, evidence));
    if (tests !== undefined) verdicts.push(byTests(tests, evidence.phases, evidence));
    if (gates !== undefined) verdicts.push(byGates(gates, evidence));
    if (command !== undefined) verdicts.push(byCommand(command, evidence));
    if (verdicts.length === 0)
      verdicts.push({
        status: 'unverified',
        evidence: ['no evidence is listed in verifiedBy'],
        reason: 'no evidence is listed in verifiedBy',
      });
    const status = worst(verdicts.map((v) => v.status));
    const reason = status === 'pass' ? undefined : verdicts.find((v) => v.status === status)?.reason;
    const lines = verdicts.flatMap((v) => v.evidence);
    return {
      id: criterion.id,
      requirement: criterion.requirement,
      kind: criterion.kind,
      status,
      evidence: lines,
      ...(reason ? { reason } : {}),
    };
  });
}

const worst = (statuses: readonly CriterionStatus[]): CriterionStatus => worstStatus(statuses);

function byPhases(names: readonly string[], phases: readonly PhaseEvidence[], scope: RunScope): Verdict {
  const results = names.map((name): Verdict => {
    const phase = phases.find((p) => p.name === name);
    if (phase === undefined) {
      const unselected = unselectedNames(scope).includes(name);
      const why = unselected ? `phase ${name} is not selected in this run` : `phase ${name} did not run`;
      return { status: unselected ? 'not-selected' : 'unverified', evidence: [why], reason: why };
    }
    const status: CriterionStatus =
      phase.status === 'passed'
        ? 'pass'
        : phase.status === 'failed'
          ? 'fail'
          : phase.status === 'error'
            ? 'error'
            : 'not-run';
    const line = `phase ${name} ${phase.status}`;
    return { status, evidence: [line], ...(status === 'pass' ? {} : { reason: line }) };
  });
  return combine(results, 'more phases');
}

/** The worst part's status and reason, every part's evidence (capped). */
function combine(parts: readonly Verdict[], noun: string): Verdict {
  const status = worst(parts.map((r) => r.status));
  const reasons = parts.filter((r) => r.status === status && r.reason).map((r) => r.reason!);
  const reason = reasons.length > 1 ? `${reasons[0]} (and ${reasons.length - 1} more)` : reasons[0];
  return {
    status,
    evidence: capList(
      parts.flatMap((r) => r.evidence),
      MAX_EVIDENCE_LINES,
      noun,
    ),
    ...(status !== 'pass' && reason ? { reason } : {}),
  };
}

function byTests(pattern: RegExp, phases: readonly PhaseEvidence[], scope: RunScope): Verdict {
  // A /g or /y pattern keeps state between test() calls; a copy without those flags does not.
  const re = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
  const unreadable = phases.flatMap((p) =>
    p.tests !== undefined && !p.tests.ok ? [describeEvidenceError(p.tests.error)] : [],
  );
  const missing = phases
    .filter((p) => p.tests === undefined && declaresEvidence(p, 'results'))
    .map((p) => neverCame(p, 'test results'));
  // A million matching cases must not all be held: counts per outcome, and the first lines of each.
  const [bad, passed, skipped] = [new MatchGroup(), new MatchGroup(), new MatchGroup()];
  for (const phase of phases) {
    if (phase.tests === undefined || !phase.tests.ok) continue;
    for (const test of (phase.tests as { value: TestReport }).value.cases) {
      if (!matches(re, test)) continue;
      const group = test.status === 'passed' ? passed : test.status === 'skipped' ? skipped : bad;
      group.add(test, phase.name);
    }
  }
  const matchedCount = bad.count + passed.count + skipped.count;
  const shown = [...bad.first, ...passed.first, ...skipped.first];
  const lines =
    matchedCount > MAX_EVIDENCE_LINES
      ? [...shown.slice(0, MAX_EVIDENCE_LINES), `… and ${matchedCount - MAX_EVIDENCE_LINES} more matching tests`]
      : shown;
  // What was not searched is said, whatever the status: evidence that exists is used, and what is missing named.
  const gaps = [...unreadable.map((e) => `test results could not be read: ${e}`), ...missing];
  const none = matchedCount === 0 ? [`no test matches ${String(pattern)}`] : [];
  const evidence = [...gaps, ...none, ...lines];
  const of = (some: MatchGroup, verb: string): string => {
    const names =
      some.count > some.labels.length ? [...some.labels, `… and ${some.count - some.labels.length} more`] : some.labels;
    return `${some.count} of ${matchedCount} matching tests ${some.count === 1 ? 'was' : 'were'} ${verb}: ${names.join(', ')}`;
  };
  if (bad.count > 0) return { status: 'fail', evidence, reason: of(bad, 'failing') };
  if (passed.count > 0 && skipped.count === 0) return { status: 'pass', evidence };
  if (skipped.count > 0) return { status: 'unverified', evidence, reason: of(skipped, 'skipped') }; // a skipped match verified nothing
  const noMatch = `no test matches ${String(pattern)}`;
  if (unreadable.length > 0)
    return { status: 'error', evidence, reason: `${noMatch} in the results that were read; ${gaps.join('; ')}` };
  if (missing.length > 0) return { status: 'not-run', evidence, reason: `${noMatch} so far; ${missing.join('; ')}` };
  const elsewhere = unselectedNames(scope, 'results');
  if (elsewhere.length > 0)
    return {
      status: 'not-selected',
      evidence,
      reason: `${noMatch} in this selection; ${elsewhere.join(', ')} not selected`,
    };
  return { status: 'unverified', evidence, reason: noMatch };
}

/** How many test names a reason quotes. */
const REASON_NAMES = 3;

/** Matching tests of one outcome: how many, the first lines a criterion shows and the first names its reason quotes. */
class MatchGroup {
  count = 0;
  readonly first: string[] = [];
  readonly labels: string[] = [];
  /** Counts every match; builds the label and line only while they will be shown. */
  add(test: TestCase, phase: string): void {
    this.count++;
    if (this.first.length >= MAX_EVIDENCE_LINES && this.labels.length >= REASON_NAMES) return;
    const label = testLabel(test);
    if (this.first.length < MAX_EVIDENCE_LINES) this.first.push(`${label} ${test.status} (phase ${phase})`);
    if (this.labels.length < REASON_NAMES) this.labels.push(label);
  }
}

function matches(re: RegExp, test: TestCase): boolean {
  return re.test(testLabel(test)) || re.test(test.name) || (test.file !== undefined && re.test(test.file));
}

function byGates(names: readonly string[], evidence: CriteriaEvidence): Verdict {
  const results = names.map((name): Verdict => {
    const rows = evidence.gates.filter((g) => g.gate === name); // implicit rows too: a phase that executed nothing fails the 'tests' gate a criterion relies on
    if (rows.length === 0)
      return {
        status: 'unverified',
        evidence: [`gate ${name} was not evaluated`],
        reason: `gate ${name} was not evaluated`,
      };
    const status = worst(rows.map((r) => r.status));
    const culprit = rows.find((r) => r.status === status);
    const reason =
      status === 'pass' || !culprit
        ? undefined
        : `${culprit.name} ${culprit.status}${culprit.message ? `: ${culprit.message}` : ''}`;
    return {
      status,
      evidence: rows.map((r) => `${r.name} ${r.actual} (${r.threshold}) ${r.status}`),
      ...(reason ? { reason } : {}),
    };
  });
  return combine(results, 'more gate values');
}

function byCommand(checkName: string, evidence: CriteriaEvidence): Verdict {
  const outcome = evidence.checks[checkName];
  const said = (status: CriterionStatus, line: string): Verdict => ({
    status,
    evidence: [line],
    ...(status === 'pass' ? {} : { reason: line }),
  });
  if (evidence.stopped !== undefined && (outcome === undefined || 'error' in outcome)) {
    return said('not-run', `check ${checkName} did not run: the run stopped (${evidence.stopped})`);
  }
  if (outcome === undefined) return said('unverified', `check ${checkName} did not run`);
  if ('error' in outcome) return said('error', `check ${checkName} could not run: ${outcome.error}`);
  return said(outcome.exitCode === 0 ? 'pass' : 'fail', `check ${checkName} exit ${outcome.exitCode}`);
}
