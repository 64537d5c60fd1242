/**
 * Test gates: failed (failed + errored) ≤ N over all phases, executed ≥ N — and never zero: with a
 * tests gate in the plan, a run (or a phase with a results file) that executed nothing does not pass.
 */
import type { GatesSpec } from '../dsl/plan.js';
import type { PhaseEvidence } from './evidence-input.js';
import { describeEvidenceError } from './result.js';
import { executedCount } from './test-counts.js';
import type { GateResult, TestCounts, TestReport } from './types.js';

export function testGates(spec: NonNullable<GatesSpec['tests']>, phases: readonly PhaseEvidence[]): GateResult[] {
  const minExecuted = Math.max(1, spec.minExecuted ?? 1);
  const rows: { name: string; threshold: string }[] = [];
  if (spec.failed !== undefined) rows.push({ name: 'tests.failed', threshold: `≤ ${spec.failed}` });
  rows.push({ name: 'tests.executed', threshold: `≥ ${minExecuted}` });

  const reporting = phases.filter((p) => p.tests !== undefined);
  if (reporting.length === 0) {
    return errorRows(rows, 'no phase in this run has a results file: add `results: { junit: PATH }` (or `tap`) to the phases that run tests');
  }
  const failures = reporting.flatMap((p) => (p.tests!.ok ? [] : [p.tests!.error]));
  if (failures.length > 0) return errorRows(rows, `test results could not be read: ${failures.map(describeEvidenceError).join('; ')}`);

  const perPhase = reporting.map((p) => ({ name: p.name, counts: (p.tests as { value: TestReport }).value.counts }));
  const total = sumCounts(perPhase.map((p) => p.counts));
  const failed = total.failed + total.errored;
  const executed = executedCount(total);
  const results: GateResult[] = [];
  if (spec.failed !== undefined) {
    results.push({
      gate: 'tests',
      name: 'tests.failed',
      threshold: `≤ ${spec.failed}`,
      actual: String(failed),
      status: failed <= spec.failed ? 'pass' : 'fail',
      message: `${total.failed} failed, ${total.errored} errored`,
    });
  }
  results.push({
    gate: 'tests',
    name: 'tests.executed',
    threshold: `≥ ${minExecuted}`,
    actual: String(executed),
    status: executed >= minExecuted ? 'pass' : 'fail',
    message: executed === 0 ? 'no test was executed: zero tests is never a pass' : `${executed} executed, ${total.skipped} skipped`,
  });
  for (const p of perPhase) {
    const n = executedCount(p.counts);
    results.push({
      gate: 'tests',
      name: `tests[${p.name}].executed`,
      threshold: '≥ 1',
      actual: String(n),
      status: n >= 1 ? 'pass' : 'fail',
      ...(n === 0 ? { message: `phase ${p.name} executed no test: check its test selection and results path` } : {}),
    });
  }
  return results;
}

function errorRows(rows: readonly { name: string; threshold: string }[], message: string): GateResult[] {
  return rows.map((r) => ({ gate: 'tests', name: r.name, threshold: r.threshold, actual: 'n/a', status: 'error', message }));
}

function sumCounts(all: readonly TestCounts[]): TestCounts {
  return all.reduce(
    (a, c) => ({
      total: a.total + c.total,
      passed: a.passed + c.passed,
      failed: a.failed + c.failed,
      errored: a.errored + c.errored,
      skipped: a.skipped + c.skipped,
    }),
    { total: 0, passed: 0, failed: 0, errored: 0, skipped: 0 },
  );
}
