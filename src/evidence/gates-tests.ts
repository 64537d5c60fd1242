/**
 * Test gates: failed (failed + errored) ≤ N over all phases, executed ≥ N — and never zero: with a
 * tests gate in the plan, a run (or a phase with a results file) that executed nothing does not pass.
 * One unreadable results file errors only what depends on it: the figures come from the phases that
 * were read, a count that is already decided by them (too many failures, enough executed) stands, and
 * otherwise the row says exactly which phase's results are missing.
 */
import type { GatesSpec } from '../dsl/plan.js';
import { declaresEvidence, neverCame, unselectedNames, type PhaseEvidence, type RunScope } from './evidence-input.js';
import { describeEvidenceError } from './result.js';
import { executedCount, sumCounts } from './test-counts.js';
import type { GateResult, GateStatus, TestReport } from './types.js';

export function testGates(
  spec: NonNullable<GatesSpec['tests']>,
  phases: readonly PhaseEvidence[],
  scope: RunScope = {},
): GateResult[] {
  const minExecuted = Math.max(1, spec.minExecuted ?? 1);
  const rows: { name: string; threshold: string }[] = [];
  if (spec.failed !== undefined) rows.push({ name: 'tests.failed', threshold: `≤ ${spec.failed}` });
  rows.push({ name: 'tests.executed', threshold: `≥ ${minExecuted}` });

  const declaring = phases.filter((p) => declaresEvidence(p, 'results'));
  const elsewhere = unselectedNames(scope, 'results');
  if (declaring.length === 0) {
    if (elsewhere.length > 0)
      return statusRows(
        rows,
        'not-selected',
        `test results come from ${elsewhere.join(', ')}, not selected in this run`,
      );
    return statusRows(
      rows,
      'error',
      'no phase in this run has a results file: add `results: { junit: PATH }` (or `tap`) to the phases that run tests',
    );
  }
  const read = declaring.flatMap((p) =>
    p.tests?.ok ? [{ name: p.name, counts: (p.tests as { value: TestReport }).value.counts }] : [],
  );
  const unreadable = declaring.flatMap((p) =>
    p.tests !== undefined && !p.tests.ok ? [describeEvidenceError(p.tests.error)] : [],
  );
  const neverCameLines = declaring.filter((p) => p.tests === undefined).map((p) => neverCame(p, 'test results'));
  // What the missing phases could still change: `error` when a file was there but unreadable, `not-run` when it never came.
  const gap: { status: GateStatus; text: string } | undefined =
    unreadable.length > 0
      ? { status: 'error', text: `test results could not be read: ${[...unreadable, ...neverCameLines].join('; ')}` }
      : neverCameLines.length > 0
        ? { status: 'not-run', text: neverCameLines.join('; ') }
        : undefined;
  const counted =
    read.length > 0 && (gap || elsewhere.length > 0) ? `counted over ${read.map((p) => p.name).join(', ')}` : '';
  const over = counted
    ? ` (${[counted, ...(elsewhere.length > 0 ? [`${elsewhere.join(', ')} not selected`] : [])].join('; ')})`
    : '';

  const total = sumCounts(read.map((p) => p.counts));
  const failed = total.failed + total.errored;
  const executed = executedCount(total);
  const results: GateResult[] = [];
  if (spec.failed !== undefined) {
    const decided = failed > spec.failed || gap === undefined;
    results.push({
      gate: 'tests',
      name: 'tests.failed',
      threshold: `≤ ${spec.failed}`,
      actual: read.length > 0 ? String(failed) : 'n/a',
      status: decided ? (failed <= spec.failed ? 'pass' : 'fail') : gap!.status,
      message: decided
        ? `${total.failed} failed, ${total.errored} errored${over}`
        : `${read.length > 0 ? `${failed} so far${over}; ` : ''}${gap!.text}`,
    });
  }
  const enough = executed >= minExecuted;
  const decided = enough || gap === undefined;
  results.push({
    gate: 'tests',
    name: 'tests.executed',
    threshold: `≥ ${minExecuted}`,
    actual: read.length > 0 ? String(executed) : 'n/a',
    status: decided ? (enough ? 'pass' : 'fail') : gap!.status,
    message: !decided
      ? `${read.length > 0 ? `${executed} so far${over}; ` : ''}${gap!.text}`
      : executed === 0
        ? 'no test was executed: zero tests is never a pass'
        : `${executed} executed, ${total.skipped} skipped${over}`,
  });
  for (const p of declaring) results.push(phaseExecutedRow(p));
  return results;
}

/** The gate nobody wrote: a phase with a results file executed at least one test. */
function phaseExecutedRow(p: PhaseEvidence): GateResult {
  const base = { gate: 'tests', name: `tests[${p.name}].executed`, threshold: '≥ 1', implicit: true } as const;
  if (p.tests === undefined)
    return { ...base, actual: 'n/a', status: 'not-run', message: neverCame(p, 'test results') };
  if (!p.tests.ok)
    return {
      ...base,
      actual: 'n/a',
      status: 'error',
      message: `test results could not be read: ${describeEvidenceError(p.tests.error)}`,
    };
  const n = executedCount(p.tests.value.counts);
  return {
    ...base,
    actual: String(n),
    status: n >= 1 ? 'pass' : 'fail',
    ...(n === 0 ? { message: `phase ${p.name} executed no test: check its test selection and results path` } : {}),
  };
}

function statusRows(
  rows: readonly { name: string; threshold: string }[],
  status: GateStatus,
  message: string,
): GateResult[] {
  return rows.map((r) => ({ gate: 'tests', name: r.name, threshold: r.threshold, actual: 'n/a', status, message }));
}
