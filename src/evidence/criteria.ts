/**
 * Acceptance criteria from evidence. Each kind of evidence a criterion lists (phases, tests, gates,
 * command) gives pass | fail | unverified | error, and all of them must pass; they combine by the one
 * ranking in status.ts. Unverified is not a pass.
 */
import type { CriterionSpec } from '../dsl/plan.js';
import type { CriteriaEvidence, PhaseEvidence } from './evidence-input.js';
import { capList, testLabel } from './format.js';
import { describeEvidenceError } from './result.js';
import { worstStatus } from './status.js';
import type { CriterionResult, CriterionStatus, TestCase, TestReport } from './types.js';

/** How many lines of evidence per kind a criterion lists before `… and N more`. */
export const MAX_EVIDENCE_LINES = 8;

interface Verdict {
  readonly status: CriterionStatus;
  readonly evidence: readonly string[];
}

export function evaluateCriteria(criteria: readonly CriterionSpec[], evidence: CriteriaEvidence): CriterionResult[] {
  return criteria.map((criterion) => {
    const { phases, tests, gates, command } = criterion.verifiedBy;
    const verdicts: Verdict[] = [];
    if (phases !== undefined) verdicts.push(byPhases(phases, evidence.phases));
    if (tests !== undefined) verdicts.push(byTests(tests, evidence.phases));
    if (gates !== undefined) verdicts.push(byGates(gates, evidence));
    if (command !== undefined) verdicts.push(byCommand(command, evidence));
    const status = verdicts.length === 0 ? 'unverified' : worst(verdicts.map((v) => v.status));
    const lines = verdicts.length === 0 ? ['no evidence is listed in verifiedBy'] : verdicts.flatMap((v) => v.evidence);
    return { id: criterion.id, requirement: criterion.requirement, kind: criterion.kind, status, evidence: lines };
  });
}

const worst = (statuses: readonly CriterionStatus[]): CriterionStatus => worstStatus(statuses);

function byPhases(names: readonly string[], phases: readonly PhaseEvidence[]): Verdict {
  const results = names.map((name): Verdict => {
    const phase = phases.find((p) => p.name === name);
    if (phase === undefined) return { status: 'unverified', evidence: [`phase ${name} did not run`] };
    const status: CriterionStatus =
      phase.status === 'passed' ? 'pass' : phase.status === 'failed' ? 'fail' : phase.status === 'error' ? 'error' : 'unverified';
    return { status, evidence: [`phase ${name} ${phase.status}`] };
  });
  return { status: worst(results.map((r) => r.status)), evidence: capList(results.flatMap((r) => r.evidence), MAX_EVIDENCE_LINES, 'more phases') };
}

function byTests(pattern: RegExp, phases: readonly PhaseEvidence[]): Verdict {
  // A /g or /y pattern keeps state between test() calls; a copy without those flags does not.
  const re = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
  const errors = phases.flatMap((p) => (p.tests !== undefined && !p.tests.ok ? [describeEvidenceError(p.tests.error)] : []));
  // A million matching cases must not all be held: counts per outcome, and the first lines of each.
  const [bad, passed, skipped] = [new MatchGroup(), new MatchGroup(), new MatchGroup()];
  for (const phase of phases) {
    if (phase.tests === undefined || !phase.tests.ok) continue;
    for (const test of (phase.tests as { value: TestReport }).value.cases) {
      if (!matches(re, test)) continue;
      const group = test.status === 'passed' ? passed : test.status === 'skipped' ? skipped : bad;
      group.add(() => `${testLabel(test)} ${test.status} (phase ${phase.name})`);
    }
  }
  const matchedCount = bad.count + passed.count + skipped.count;
  const shown = [...bad.first, ...passed.first, ...skipped.first];
  const lines = matchedCount > MAX_EVIDENCE_LINES ? [...shown.slice(0, MAX_EVIDENCE_LINES), `… and ${matchedCount - MAX_EVIDENCE_LINES} more matching tests`] : shown;
  const errorLines = errors.map((e) => `test results could not be read: ${e}`);
  let status: CriterionStatus;
  if (errors.length > 0) status = 'error';
  else if (bad.count > 0) status = 'fail';
  else if (passed.count === 0) status = 'unverified';
  else status = skipped.count > 0 ? 'unverified' : 'pass'; // a skipped match verified nothing
  const none = matchedCount === 0 ? [`no test matches ${String(pattern)}`] : [];
  return { status, evidence: [...errorLines, ...none, ...lines] };
}

/** Matching tests of one outcome: how many, and the first lines that a criterion can show. */
class MatchGroup {
  count = 0;
  readonly first: string[] = [];
  add(line: () => string): void {
    this.count++;
    if (this.first.length < MAX_EVIDENCE_LINES) this.first.push(line());
  }
}

function matches(re: RegExp, test: TestCase): boolean {
  return re.test(testLabel(test)) || re.test(test.name) || (test.file !== undefined && re.test(test.file));
}


function byGates(names: readonly string[], evidence: CriteriaEvidence): Verdict {
  const results = names.map((name): Verdict => {
    const rows = evidence.gates.filter((g) => g.gate === name);
    if (rows.length === 0) return { status: 'unverified', evidence: [`gate ${name} was not evaluated`] };
    const status = worst(rows.map((r) => r.status));
    return { status, evidence: rows.map((r) => `${r.name} ${r.actual} (${r.threshold}) ${r.status}`) };
  });
  return { status: worst(results.map((r) => r.status)), evidence: capList(results.flatMap((r) => r.evidence), MAX_EVIDENCE_LINES, 'more gate values') };
}

function byCommand(checkName: string, evidence: CriteriaEvidence): Verdict {
  const outcome = evidence.checks[checkName];
  if (outcome === undefined) return { status: 'unverified', evidence: [`check ${checkName} did not run`] };
  if ('error' in outcome) return { status: 'error', evidence: [`check ${checkName} could not run: ${outcome.error}`] };
  return { status: outcome.exitCode === 0 ? 'pass' : 'fail', evidence: [`check ${checkName} exit ${outcome.exitCode}`] };
}
