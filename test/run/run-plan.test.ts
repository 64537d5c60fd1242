import t from 'tap';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { TestPlan } from '../../src/dsl/plan.js';
import { Secret } from '../../src/dsl/secret.js';
import { writeReports } from '../../src/report/write-reports.js';
import type { FakeBehaviour } from '../helpers/fake-driver.js';
import { phase, plan } from '../helpers/plan-builder.js';
import { runOnFake } from '../helpers/run-on-fake.js';

const junit = (cases: Array<[string, 'pass' | 'fail']>) =>
  `<?xml version="1.0"?><testsuites><testsuite name="unit" tests="${cases.length}">${cases
    .map(
      ([name, s]) =>
        `<testcase classname="tests.test_app" name="${name}" time="0.01">${s === 'fail' ? '<failure message="assert 1 == 2">trace</failure>' : ''}</testcase>`,
    )
    .join('')}</testsuite></testsuites>`;

/** lcov for one file with `covered` of 10 lines hit. */
const lcov = (covered: number) =>
  `SF:/app/src/app.py\n${Array.from({ length: 10 }, (_, i) => `DA:${i + 1},${i < covered ? 1 : 0}`).join('\n')}\nLF:10\nLH:${covered}\nend_of_record\n`;

const basePlan = (overrides: Partial<Omit<TestPlan, 'phases' | 'services'>> = {}): TestPlan =>
  plan({
    phases: [
      phase('unit', {
        results: { format: 'junit', path: '/out/junit.xml' },
        coverage: { format: 'lcov', path: '/out/lcov.info', pathMap: { '/app/': '' } },
      }),
    ],
    gates: { coverage: { lines: 80 }, phaseCoverage: {}, tests: { failed: 0, minExecuted: 2 }, commands: {} },
    acceptance: [{ id: 'FR-1', requirement: 'uploads work', kind: 'functional', verifiedBy: { tests: /upload/ } }],
    ...overrides,
  });

const goodFiles = {
  '/out/junit.xml': junit([
    ['test_upload', 'pass'],
    ['test_list', 'pass'],
  ]),
  '/out/lcov.info': lcov(9),
};

const run = (p: TestPlan, behaviour: FakeBehaviour, signal?: AbortSignal) =>
  runOnFake(p, behaviour, signal ? { signal } : {});

t.test('evidence that meets every gate and criterion passes with exit 0', async (t) => {
  const { results } = await run(basePlan(), { files: goodFiles });
  t.equal(results.verdict, 'passed');
  t.equal(results.exitCode, 0);
  t.same(results.tests, { total: 2, passed: 2, failed: 0, errored: 0, skipped: 0 });
  t.equal(results.coverage?.lines.pct, 90);
  t.same(
    results.gates.map((g) => [g.name, g.status]),
    [
      ['coverage.lines', 'pass'],
      ['tests.failed', 'pass'],
      ['tests.executed', 'pass'],
      ['tests[unit].executed', 'pass'],
    ],
  );
  t.equal(results.acceptance[0]!.status, 'pass');
  t.same(results.phases[0]!.artifacts, ['phases/unit/files/out/junit.xml', 'phases/unit/files/out/lcov.info']);
});

t.test('coverage one line under the threshold fails the run with exit 1', async (t) => {
  const { results } = await run(basePlan(), { files: { ...goodFiles, '/out/lcov.info': lcov(7) } });
  t.equal(results.verdict, 'failed');
  t.equal(results.exitCode, 1);
  t.equal(results.gates.find((g) => g.name === 'coverage.lines')!.status, 'fail');
});

t.test('a failing test fails the phase even when the command exited 0', async (t) => {
  const { results } = await run(basePlan(), {
    files: {
      ...goodFiles,
      '/out/junit.xml': junit([
        ['test_upload', 'fail'],
        ['test_list', 'pass'],
      ]),
    },
  });
  t.equal(results.phases[0]!.status, 'failed');
  t.equal(results.phases[0]!.failures[0]!.name, 'test_upload');
  t.equal(results.acceptance[0]!.status, 'fail');
  t.equal(results.exitCode, 1);
});

t.test('a phase that ran zero tests is not a pass', async (t) => {
  const { results } = await run(basePlan(), { files: { ...goodFiles, '/out/junit.xml': junit([]) } });
  t.equal(results.phases[0]!.status, 'failed');
  t.match(results.phases[0]!.message, /zero tests/);
  t.equal(results.acceptance[0]!.status, 'unverified');
  t.equal(results.exitCode, 1);
});

t.test('a results file the phase never wrote is an error naming file and phase, never a pass', async (t) => {
  const { results } = await run(basePlan(), { files: { '/out/lcov.info': lcov(9) } });
  t.equal(results.phases[0]!.status, 'error');
  t.match(results.phases[0]!.errors[0], {
    file: '/out/junit.xml',
    phase: 'unit',
    message: /does not exist in the container \(phases\.unit\.results\)/,
  });
  t.equal(results.gates.find((g) => g.name === 'tests.failed')!.status, 'error');
  t.equal(results.exitCode, 1);
});

t.test('a criterion whose pattern matches no test is unverified and fails the verdict', async (t) => {
  const p = basePlan({
    acceptance: [{ id: 'FR-9', requirement: 'exports', kind: 'functional', verifiedBy: { tests: /export/ } }],
  });
  const { results } = await run(p, { files: goodFiles });
  t.equal(results.acceptance[0]!.status, 'unverified');
  t.equal(results.verdict, 'failed');
});

t.test('an image build failure is exit 3 with the reason', async (t) => {
  const { results } = await run(basePlan(), { files: goodFiles, failBuild: ['app'] });
  t.equal(results.verdict, 'error');
  t.equal(results.exitCode, 3);
  t.equal(results.message, 'image app: build failed at step 2/3');
  t.equal(results.phases[0]!.status, 'skipped');
});

t.test('an unreachable engine still leaves results saying why (exit 3)', async (t) => {
  const { results } = await run(basePlan(), { unreachable: true });
  t.equal(results.exitCode, 3);
  t.match(results.message, /does not answer/);
  t.same(results.steps, []);
});

t.test('an interrupted run is marked so and never exits 0', async (t) => {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 20);
  const { results } = await run(basePlan(), { files: goodFiles, durations: { unit: 5000 } }, controller.signal);
  t.equal(results.verdict, 'interrupted');
  t.equal(results.exitCode, 130);
  t.equal(results.phases[0]!.status, 'cancelled');
});

t.test('a secret from the plan appears in no output file', async (t) => {
  const p = basePlan({ secrets: [new Secret('hunter2-pw', 'env')] });
  const leaky = junit([
    ['test_upload', 'pass'],
    ['test_list hunter2-pw', 'fail'],
  ]);
  const { results, outDir } = await run(p, {
    files: { ...goodFiles, '/out/junit.xml': leaky },
    logs: { unit: ['connecting with hunter2-pw'] },
  });
  const written = await writeReports(results, outDir, {});
  for (const file of Object.values(written)) t.notMatch(readFileSync(file, 'utf8'), /hunter2-pw/, path.basename(file));
  t.match(readFileSync(written.markdown, 'utf8'), /test_list \*\*\*/);
});

t.test('git status v2 gives commit, branch and the dirty flag', async (t) => {
  const { parseGitStatus } = await import('../../src/run/git-info.js');
  t.same(parseGitStatus('# branch.oid abc123\n# branch.head main\n'), {
    commit: 'abc123',
    dirty: false,
    branch: 'main',
  });
  t.same(
    parseGitStatus('# branch.oid abc123\n# branch.head (detached)\n1 .M N... 100644 100644 100644 a b src/x.ts\n'),
    { commit: 'abc123', dirty: true },
  );
  t.equal(parseGitStatus('# branch.oid (initial)\n# branch.head main\n'), undefined);
});
