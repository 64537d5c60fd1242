import t from 'tap';
import type { CriterionSpec } from '../../src/dsl/plan.js';
import { evaluateCriteria, MAX_EVIDENCE_LINES } from '../../src/evidence/criteria.js';
import type { CriteriaEvidence } from '../../src/evidence/evidence-input.js';
import { parseTestReport } from '../../src/evidence/parsers.js';
import type { GateResult, TestCase } from '../../src/evidence/types.js';
import { cases, missing, phase, testsOk } from './builders.js';
import { fixtureText } from './fixtures.js';

const criterion = (verifiedBy: CriterionSpec['verifiedBy'], id = 'FR-1'): CriterionSpec => ({
  id,
  requirement: 'does the thing',
  kind: 'functional',
  verifiedBy,
});
const evaluate = (c: CriterionSpec, evidence: Partial<CriteriaEvidence>) =>
  evaluateCriteria([c], { phases: [], gates: [], checks: {}, ...evidence })[0]!;
const gate = (gateName: string, status: GateResult['status'], name = gateName): GateResult => ({
  gate: gateName,
  name,
  threshold: '≤ 5m',
  actual: '4m',
  status,
});

t.test(
  'verifiedBy phases: all passed → pass; one failed → fail; never started → not run; unknown → unverified; errored → error',
  async (t) => {
    const c = criterion({ phases: ['unit', 'integration'] });
    const passed = evaluate(c, { phases: [phase('unit'), phase('integration')] });
    t.match(passed, {
      id: 'FR-1',
      requirement: 'does the thing',
      kind: 'functional',
      status: 'pass',
      evidence: ['phase unit passed', 'phase integration passed'],
    });
    t.equal(evaluate(c, { phases: [phase('unit'), phase('integration', { status: 'failed' })] }).status, 'fail');
    t.match(evaluate(c, { phases: [phase('unit')] }), {
      status: 'unverified',
      evidence: ['phase unit passed', 'phase integration did not run'],
    });
    t.match(evaluate(c, { phases: [phase('unit'), phase('integration', { status: 'skipped' })] }), {
      status: 'not-run',
      reason: 'phase integration skipped',
    });
    t.match(
      evaluate(c, { phases: [phase('unit')], unselected: [{ name: 'integration', results: false, coverage: false }] }),
      {
        status: 'not-selected',
        reason: 'phase integration is not selected in this run',
      },
    );
    t.equal(evaluate(c, { phases: [phase('unit'), phase('integration', { status: 'error' })] }).status, 'error');
  },
);

const pytest = (() => {
  const r = parseTestReport(fixtureText('pytest/junit-xunit1.xml'), 'junit');
  if (!r.ok) throw new Error('fixture');
  return { ok: true as const, value: r.value };
})();

t.test('verifiedBy tests on real pytest output: matched and all passed → pass, listing the tests', async (t) => {
  const r = evaluate(criterion({ tests: /test_upload/ }), { phases: [phase('unit', { tests: pytest })] });
  t.equal(r.status, 'pass');
  t.same(r.evidence, [
    'tests.test_upload.TestUpload > test_upload_stores_name passed (phase unit)',
    'tests.test_upload.TestUpload > test_upload_stores_size passed (phase unit)',
  ]);
});

t.test('a matched test that failed or errored fails the criterion and is listed first', async (t) => {
  const r = evaluate(criterion({ tests: /test_(add|uses_broken)/ }), { phases: [phase('unit', { tests: pytest })] });
  t.equal(r.status, 'fail');
  t.match(r.evidence[0], /test_add_wrong failed/);
  t.match(r.evidence[1], /test_uses_broken_fixture error/);
});

t.test('no test matched → unverified (not a pass); only skipped matches → unverified', async (t) => {
  const none = evaluate(criterion({ tests: /test_payment/ }), { phases: [phase('unit', { tests: pytest })] });
  t.match(none, { status: 'unverified', evidence: ['no test matches /test_payment/'] });
  t.equal(
    evaluate(criterion({ tests: /test_multiply/ }), { phases: [phase('unit', { tests: pytest })] }).status,
    'unverified',
  );
  t.equal(
    evaluate(criterion({ tests: /test_(multiply|add$)/ }), { phases: [phase('unit', { tests: pytest })] }).status,
    'unverified',
    'a skipped match verified nothing',
  );
});

t.test('the pattern matches suite > name, the name alone, or the file', async (t) => {
  const list: TestCase[] = [
    { suite: 'api > upload', name: 'stores metadata', file: 'tests/upload_spec.js', status: 'passed', durationMs: 1 },
  ];
  const phases = [phase('unit', { tests: testsOk(list) })];
  for (const re of [/api > upload > stores/, /^stores metadata$/, /upload_spec\.js$/])
    t.equal(evaluate(criterion({ tests: re }), { phases }).status, 'pass', String(re));
  t.equal(evaluate(criterion({ tests: /download/ }), { phases }).status, 'unverified');
});

t.test('a global or sticky pattern gives the same answer for every test', async (t) => {
  const list = cases({ passed: 3 }, 'upload');
  const r = evaluate(criterion({ tests: /upload/g }), { phases: [phase('unit', { tests: testsOk(list) })] });
  t.equal(r.status, 'pass');
  t.equal(r.evidence.length, 3);
});

t.test(
  'an unreadable test report errors a tests criterion only when the evidence that exists does not decide it',
  async (t) => {
    const broken = phase('integration', { tests: missing('/out/junit.xml', 'integration') });
    // Its tests are in the readable phase, all passing: a pass, and the evidence names what was not searched.
    const decided = evaluate(criterion({ tests: /test_upload/ }), {
      phases: [phase('unit', { tests: pytest }), broken],
    });
    t.equal(decided.status, 'pass');
    t.match(decided.evidence[0], /could not be read: .*\/out\/junit\.xml \(phase integration\)/);
    // Nothing matched in what was read: the unreadable file may hold them, so error, and the reason says which file.
    const undecided = evaluate(criterion({ tests: /test_nowhere/ }), {
      phases: [phase('unit', { tests: pytest }), broken],
    });
    t.equal(undecided.status, 'error');
    t.match(
      undecided.reason,
      /no test matches \/test_nowhere\/ in the results that were read; .*\/out\/junit\.xml \(phase integration\)/,
    );
  },
);

t.test(
  'a tests criterion whose tests never came is not run; whose phases are not selected, not selected; a skip states its reason',
  async (t) => {
    const never = evaluate(criterion({ tests: /login/ }), {
      phases: [phase('e2e', { status: 'cancelled', declares: { results: true, coverage: false } })],
      stopped: 'interrupted',
    });
    t.match(never, {
      status: 'not-run',
      reason:
        /no test matches \/login\/ so far; phase e2e was stopped before it finished \(cancelled\): its test results would be incomplete/,
    });
    const unselected = evaluate(criterion({ tests: /login/ }), {
      phases: [],
      unselected: [{ name: 'e2e', results: true, coverage: false }],
    });
    t.match(unselected, { status: 'not-selected', reason: /e2e not selected/ });
    const skipped = evaluate(criterion({ tests: /test_/ }), {
      phases: [
        phase('unit', {
          tests: testsOk([
            ...cases({ passed: 49 }),
            { suite: 's', name: 'test_slow', status: 'skipped', durationMs: 0 },
          ]),
        }),
      ],
    });
    t.match(skipped, { status: 'unverified', reason: '1 of 50 matching tests was skipped: s > test_slow' });
  },
);

t.test('the evidence list is capped with "… and N more"', async (t) => {
  const n = MAX_EVIDENCE_LINES + 37;
  const r = evaluate(criterion({ tests: /test/ }), {
    phases: [phase('unit', { tests: testsOk(cases({ passed: n })) })],
  });
  t.equal(r.evidence.length, MAX_EVIDENCE_LINES + 1);
  t.equal(r.evidence.at(-1), '… and 37 more matching tests');
});

t.test('failures are listed first, then passes, then skips, across phases; the count covers all of them', async (t) => {
  const unit = phase('unit', { tests: testsOk(cases({ passed: MAX_EVIDENCE_LINES + 20, skipped: 3 })) });
  const e2e = phase('e2e', { tests: testsOk(cases({ passed: 2, failed: 2 }, 'e2e')) });
  const r = evaluate(criterion({ tests: /_/ }), { phases: [unit, e2e] });
  t.equal(r.status, 'fail');
  t.same(r.evidence.slice(0, 3), [
    'suite > e2e_failed_0 failed (phase e2e)',
    'suite > e2e_failed_1 failed (phase e2e)',
    'suite > test_passed_0 passed (phase unit)',
  ]);
  t.equal(r.evidence.length, MAX_EVIDENCE_LINES + 1);
  t.equal(r.evidence.at(-1), '… and 27 more matching tests');
  const skipsOnly = evaluate(criterion({ tests: /skipped/ }), { phases: [unit] });
  t.same(skipsOnly.evidence, [
    'suite > test_skipped_0 skipped (phase unit)',
    'suite > test_skipped_1 skipped (phase unit)',
    'suite > test_skipped_2 skipped (phase unit)',
  ]);
  t.equal(skipsOnly.status, 'unverified');
});

t.test(
  'verifiedBy gates: all rows of the named groups passed; fail → fail; error → error; unknown → unverified',
  async (t) => {
    const c = criterion({ gates: ['duration', 'coverage'] });
    const good = [
      gate('duration', 'pass'),
      gate('coverage', 'pass', 'coverage.lines'),
      gate('coverage', 'pass', 'coverage.branches'),
    ];
    const r = evaluate(c, { gates: good });
    t.equal(r.status, 'pass');
    t.same(r.evidence, [
      'duration 4m (≤ 5m) pass',
      'coverage.lines 4m (≤ 5m) pass',
      'coverage.branches 4m (≤ 5m) pass',
    ]);
    t.equal(
      evaluate(c, {
        gates: [
          gate('duration', 'pass'),
          gate('coverage', 'pass', 'coverage.lines'),
          gate('coverage', 'fail', 'coverage.branches'),
        ],
      }).status,
      'fail',
    );
    t.equal(evaluate(c, { gates: [gate('duration', 'error'), gate('coverage', 'pass')] }).status, 'error');
    t.match(evaluate(c, { gates: [gate('duration', 'pass')] }), {
      status: 'unverified',
      evidence: ['duration 4m (≤ 5m) pass', 'gate coverage was not evaluated'],
    });
  },
);

t.test(
  'verifiedBy command: exit 0 → pass, exit 1 → fail, could not run → error, did not run → unverified',
  async (t) => {
    const c = criterion({ command: 'criterion:FR-1' });
    t.match(evaluate(c, { checks: { 'criterion:FR-1': { exitCode: 0 } } }), {
      status: 'pass',
      evidence: ['check criterion:FR-1 exit 0'],
    });
    t.equal(evaluate(c, { checks: { 'criterion:FR-1': { exitCode: 1 } } }).status, 'fail');
    t.equal(evaluate(c, { checks: { 'criterion:FR-1': { error: 'timed out' } } }).status, 'error');
    t.equal(evaluate(c, { checks: {} }).status, 'unverified');
  },
);

t.test('several kinds in one criterion must all pass', async (t) => {
  const c = criterion({ phases: ['integration'], tests: /test_upload/, command: 'criterion:FR-1' });
  const phases = [phase('integration', { tests: pytest })];
  t.equal(evaluate(c, { phases, checks: { 'criterion:FR-1': { exitCode: 0 } } }).status, 'pass');
  t.equal(evaluate(c, { phases, checks: { 'criterion:FR-1': { exitCode: 2 } } }).status, 'fail');
  t.equal(evaluate(c, { phases, checks: {} }).status, 'unverified');
  t.equal(
    evaluate(c, {
      phases: [phase('integration', { status: 'failed', tests: pytest })],
      checks: { 'criterion:FR-1': { exitCode: 0 } },
    }).status,
    'fail',
  );
});

t.test('a criterion with nothing in verifiedBy is unverified; results keep plan order and kind', async (t) => {
  const results = evaluateCriteria(
    [criterion({}, 'FR-1'), { ...criterion({ gates: ['duration'] }, 'NFR-1'), kind: 'non-functional' }],
    { phases: [], gates: [gate('duration', 'pass')], checks: {} },
  );
  t.match(results, [
    { id: 'FR-1', status: 'unverified' },
    { id: 'NFR-1', kind: 'non-functional', status: 'pass' },
  ]);
});

t.test(
  'a criterion on the tests gate also relies on the implicit per-phase rows, and states the failing row as its reason',
  async (t) => {
    const rows: GateResult[] = [
      { gate: 'tests', name: 'tests.executed', threshold: '≥ 1', actual: '40', status: 'pass' },
      {
        gate: 'tests',
        name: 'tests[e2e].executed',
        threshold: '≥ 1',
        actual: '0',
        status: 'fail',
        implicit: true,
        message: 'phase e2e executed no test',
      },
    ];
    t.match(evaluate(criterion({ gates: ['tests'] }), { gates: rows }), {
      status: 'fail',
      reason: 'tests[e2e].executed fail: phase e2e executed no test',
    });
  },
);
