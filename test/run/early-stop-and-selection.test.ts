/**
 * Results of runs that stopped early or ran a --phase selection, built by the real results builder on
 * a fake driver: evidence that never came is `not-run`, evidence about unselected phases
 * `not-selected`; neither is ever a pass, and neither comes with advice to declare what is declared.
 */
import t from 'tap';
import type { TestPlan } from '../../src/dsl/plan.js';
import type { FakeBehaviour } from '../helpers/fake-driver.js';
import { phase, plan } from '../helpers/plan-builder.js';
import { runOnFake } from '../helpers/run-on-fake.js';

const junit = (name: string) =>
  `<?xml version="1.0"?><testsuites><testsuite name="s" tests="1"><testcase classname="s" name="${name}" time="0.01"/></testsuite></testsuites>`;
const lcov = `SF:/app/a.py\nDA:1,1\nDA:2,0\nLF:2\nLH:1\nend_of_record\n`;

const run = async (p: TestPlan, behaviour: FakeBehaviour, phases?: string[], signal?: AbortSignal) =>
  (await runOnFake(p, behaviour, { ...(phases ? { phases } : {}), ...(signal ? { signal } : {}) })).results;

const twoPhases = () =>
  plan({
    phases: [
      phase('unit', {
        results: { format: 'junit', path: '/out/unit.xml' },
        coverage: { format: 'lcov', path: '/out/lcov.info', pathMap: {} },
      }),
      phase('e2e', { results: { format: 'junit', path: '/out/e2e.xml' } }),
    ],
    gates: {
      coverage: { lines: 10 },
      phaseCoverage: { unit: { lines: 10 } },
      tests: { failed: 0 },
      duration: { maxMs: 3_600_000, phasesMs: { e2e: 3_600_000 } },
      commands: {},
    },
    acceptance: [
      { id: 'FR-1', requirement: 'units', kind: 'functional', verifiedBy: { tests: /test_unit/ } },
      { id: 'FR-2', requirement: 'end to end', kind: 'functional', verifiedBy: { phases: ['e2e'] } },
    ],
  });
const files = { '/out/unit.xml': junit('test_unit'), '/out/e2e.xml': junit('test_e2e'), '/out/lcov.info': lcov };

t.test(
  'a build failure: no gate or criterion passes, the evidence that never came is not run (exit 3 stays)',
  async (t) => {
    const results = await run(twoPhases(), { files, failBuild: ['app'] });
    t.equal(results.exitCode, 3);
    const status = Object.fromEntries(results.gates.map((g) => [g.name, g.status]));
    t.same(status, {
      'coverage.lines': 'not-run',
      'coverage[unit].lines': 'not-run',
      'tests.failed': 'not-run',
      'tests.executed': 'not-run',
      'tests[unit].executed': 'not-run',
      'tests[e2e].executed': 'not-run',
      duration: 'not-run',
      'duration[e2e]': 'not-run',
    });
    t.same(
      results.acceptance.map((c) => c.status),
      ['not-run', 'not-run'],
    );
    t.notMatch(JSON.stringify(results.gates), /add `/, 'no advice to add a results or coverage file the plan declares');
  },
);

t.test('--phase e2e: gates and criteria about unit are not selected and the run can pass', async (t) => {
  const results = await run(twoPhases(), { files }, ['e2e']);
  const status = Object.fromEntries(results.gates.map((g) => [g.name, g.status]));
  t.match(status, {
    'coverage.lines': 'not-selected',
    'coverage[unit].lines': 'not-selected',
    'tests.failed': 'pass',
    duration: 'pass',
    'duration[e2e]': 'pass',
  });
  t.match(results.acceptance, [
    { id: 'FR-1', status: 'not-selected', reason: /unit not selected/ },
    { id: 'FR-2', status: 'pass' },
  ]);
  t.equal(results.verdict, 'passed', 'not-selected is neutral');
});

t.test('the full run passes, and made worse by one unreadable file errors only what depends on it', async (t) => {
  const good = await run(twoPhases(), { files });
  t.equal(good.verdict, 'passed');
  const results = await run(twoPhases(), { files: { ...files, '/out/e2e.xml': '<testsuites><testsuite' } });
  t.equal(results.verdict, 'failed');
  t.match(
    results.acceptance,
    [
      { id: 'FR-1', status: 'pass' },
      { id: 'FR-2', status: 'error' },
    ],
    'FR-1 only uses unit tests',
  );
  const status = Object.fromEntries(results.gates.map((g) => [g.name, g.status]));
  t.match(status, {
    'coverage.lines': 'pass',
    'tests.failed': 'error',
    'tests.executed': 'pass',
    'tests[unit].executed': 'pass',
    'tests[e2e].executed': 'error',
  });
  t.match(
    results.gates.find((g) => g.name === 'tests.failed'),
    { actual: '0', message: /counted over unit.*\/out\/e2e\.xml/ },
  );
});

t.test('Ctrl-C during the phases: the duration gate is not run, never pass, and the exit code stays 130', async (t) => {
  const stop = new AbortController();
  const running = run(twoPhases(), { files, durations: { unit: 60_000, e2e: 60_000 } }, undefined, stop.signal);
  setTimeout(() => stop.abort(), 100);
  const results = await running;
  t.equal(results.exitCode, 130);
  t.match(
    results.gates.find((g) => g.name === 'duration'),
    { status: 'not-run', message: /the run stopped before it finished \(interrupted\)/ },
  );
  t.same(
    results.gates.filter((g) => g.status === 'pass').map((g) => g.name),
    [],
    'nothing passes on evidence that never came or came in part',
  );
  t.same(
    results.acceptance.map((c) => c.status),
    ['not-run', 'not-run'],
  );
  t.match(
    results.gates.find((g) => g.name === 'coverage.lines'),
    {
      status: 'not-run',
      message: /phase unit was stopped before it finished \(cancelled\): its coverage would be incomplete/,
    },
  );
});
