/**
 * End to end on the local driver, in a real git repository made here: `plan run` with the changed-lines
 * gate (real c8 lcov, real node:test TAP), the default baseline (the previous run on the branch),
 * `--baseline <git ref>`, and `plan report --compare` on the two runs' results.json.
 */
import t from 'tap';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunResults } from '../../src/report/results.js';
import { gitRepo } from '../helpers/git-repo.js';
import { cli } from '../helpers/in-process-cli.js';

const C8 = fileURLToPath(new URL('../../node_modules/.bin/c8', import.meta.url));

const MATH = 'export function add(a, b) {\n  return a + b;\n}\n';
const TEST = (body: string) =>
  `import { test } from 'node:test';\nimport assert from 'node:assert';\nimport * as m from '../src/math.mjs';\n${body}`;

function project() {
  const repo = gitRepo('baseline-e2e');
  repo.write('.gitignore', '.testplan/\n');
  repo.write('src/math.mjs', MATH);
  repo.write('test/math.test.mjs', TEST("test('adds', () => assert.equal(m.add(1, 2), 3));\n"));
  const plan = {
    name: 'baseline-e2e',
    images: { node: { ref: 'testplan-node:20' } },
    phases: {
      unit: {
        image: 'node',
        run: `${C8} --reporter=lcovonly --reports-dir=$TESTPLAN_OUT/cov node --test --test-reporter=tap --test-reporter-destination=$TESTPLAN_OUT/results.tap test/`,
        // Under tap, tap's coverage hook reaches every child node and takes V8's coverage away from c8.
        env: { _TAPJS_PROCESSINFO_COVERAGE_: '0' },
        results: { tap: '/out/results.tap' },
        coverage: { format: 'lcov', path: '/out/cov/lcov.info' },
      },
    },
    gates: { coverage: { changed: { lines: 80, base: 'main' } }, tests: { failed: 0 } },
  };
  repo.write('demo.plan.yaml', JSON.stringify(plan, null, 2));
  repo.commit('base');
  repo.git('checkout', '-q', '-b', 'feature');
  return repo;
}

const runsDir = (dir: string) => path.join(dir, '.testplan', 'runs');
function latestRun(dir: string): { folder: string; results: RunResults } {
  const folders = readdirSync(runsDir(dir))
    .map((name) => path.join(runsDir(dir), name))
    .filter((f) => statSync(path.join(f, 'results.json'), { throwIfNoEntry: false }))
    .sort((a, b) => statSync(path.join(a, 'results.json')).mtimeMs - statSync(path.join(b, 'results.json')).mtimeMs);
  const folder = folders.at(-1)!;
  return { folder, results: JSON.parse(readFileSync(path.join(folder, 'results.json'), 'utf8')) as RunResults };
}

t.test('changed-lines gate and baseline comparison through plan run and plan report --compare', async (t) => {
  const repo = project();
  // Run 1: a new, tested function: changed lines covered.
  repo.write('src/math.mjs', `${MATH}export function mul(a, b) {\n  return a * b;\n}\n`);
  repo.write(
    'test/math.test.mjs',
    TEST("test('adds', () => assert.equal(m.add(1, 2), 3));\ntest('muls', () => assert.equal(m.mul(2, 3), 6));\n"),
  );
  repo.commit('mul');
  const first = await cli(['run', 'demo.plan.yaml', '--driver', 'local'], repo.dir);
  t.equal(first.code, 0, first.stdout + first.stderr);
  const run1 = latestRun(repo.dir);
  t.match(
    run1.results.gates.find((g) => g.name === 'coverage.changed.lines'),
    { status: 'pass', actual: '100.0%' },
  );
  t.match(run1.results.changedLines?.files, [{ path: 'src/math.mjs', covered: 3, executable: 3 }]);
  t.equal(run1.results.baseline, undefined, 'the first run has nothing to compare with');
  t.match(readFileSync(path.join(run1.folder, 'report.md'), 'utf8'), /## Changed lines[\s\S]*src\/math\.mjs/);

  // Run 2 (uncommitted): an untested function and a failing test.
  repo.write(
    'src/math.mjs',
    `${MATH}export function mul(a, b) {\n  return a * b;\n}\nexport function div(a, b) {\n  if (b === 0) throw new Error('zero');\n  return a / b;\n}\n`,
  );
  repo.write(
    'test/math.test.mjs',
    TEST(
      "test('adds', () => assert.equal(m.add(1, 2), 4));\ntest('muls', () => assert.equal(m.mul(2, 3), 6));\ntest('new one', () => {});\n",
    ),
  );
  const second = await cli(['run', 'demo.plan.yaml', '--driver', 'local'], repo.dir);
  t.equal(second.code, 1);
  const run2 = latestRun(repo.dir);
  t.not(run2.folder, run1.folder);
  const gate = run2.results.gates.find((g) => g.name === 'coverage.changed.lines')!;
  t.equal(gate.status, 'fail', gate.message ?? '');
  t.match(run2.results.changedLines?.files[0], { path: 'src/math.mjs', uncovered: ['8-10'] }); // div's body (V8 counts its declaration line as run)
  const b = run2.results.baseline!;
  t.ok(b, 'the previous run on the branch is the default baseline');
  t.equal(b.runId, run1.results.runId);
  t.match(b.chosenBy, /previous run of baseline-e2e on branch feature/);
  t.same(
    b.newFailures.listed.map((x) => x.test),
    ['adds'],
  );
  t.same(
    b.added.listed.map((x) => x.test),
    ['new one'],
  );
  t.ok(b.coverage!.lines.delta! < 0, 'line coverage dropped');
  t.match(b.statusChanges, [
    { kind: 'gate', name: 'coverage.changed.lines', before: 'pass', after: 'fail' },
    { kind: 'gate', name: 'tests.failed', before: 'pass', after: 'fail' },
  ]);
  t.match(
    second.stdout,
    new RegExp(`since ${run1.results.runId}: 1 new failures, 0 fixed, 1 added, 0 removed, lines -`),
  );
  const report = readFileSync(path.join(run2.folder, 'report.md'), 'utf8');
  t.match(report, /## Since baseline[\s\S]*\*\*New failures\*\* \(1\)/);

  // --no-baseline: no comparison.
  const third = await cli(['run', 'demo.plan.yaml', '--driver', 'local', '--no-baseline'], repo.dir);
  t.equal(third.code, 1);
  t.equal(latestRun(repo.dir).results.baseline, undefined);

  // --baseline <git ref>: the latest stored run of that commit (run 1 ran at HEAD, the tree was clean).
  const byRef = await cli(['run', 'demo.plan.yaml', '--driver', 'local', '--baseline', 'HEAD'], repo.dir);
  t.equal(byRef.code, 1);
  t.match(latestRun(repo.dir).results.baseline, { chosenBy: '--baseline HEAD' });
  const byMain = await cli(['run', 'demo.plan.yaml', '--driver', 'local', '--baseline', 'main'], repo.dir);
  const noRun = latestRun(repo.dir).results;
  t.equal(noRun.baseline, undefined);
  t.match(noRun.warnings, [/baseline: no stored run of this plan .* tested main .*: not compared/]);
  t.equal(byMain.code, 1, 'a baseline problem never changes the verdict');

  // plan report --compare on the two real runs.
  const a = path.join(run1.folder, 'results.json');
  const bFile = path.join(run2.folder, 'results.json');
  const compared = await cli(['report', '--compare', a, bFile], repo.dir);
  t.equal(compared.code, 0, compared.stderr);
  t.match(
    compared.stdout,
    /compared with `baseline-e2e-[^`]+`[\s\S]*\*\*New failures\*\* \(1\)[\s\S]*\*\*Tests added\*\* \(1\)/,
  );
  const outFile = path.join(repo.dir, 'compare.md');
  const toFile = await cli(['report', '--compare', a, bFile, '--out', outFile], repo.dir);
  t.equal(toFile.code, 0);
  t.equal(readFileSync(outFile, 'utf8'), compared.stdout);

  // Hostile inputs: truncated, schema-invalid, missing → exit 2 naming the file.
  const truncated = path.join(repo.dir, 'truncated.json');
  writeFileSync(truncated, readFileSync(a, 'utf8').slice(0, 200));
  const bad = await cli(['report', '--compare', truncated, bFile], repo.dir);
  t.equal(bad.code, 2);
  t.match(bad.stderr, /truncated\.json is not valid JSON/);
  const invalid = path.join(repo.dir, 'invalid.json');
  writeFileSync(invalid, JSON.stringify({ ...run1.results, phases: 'nope' }));
  const inv = await cli(['report', '--compare', invalid, bFile], repo.dir);
  t.equal(inv.code, 2);
  t.match(inv.stderr, /invalid\.json is not a valid results file[\s\S]*\/phases/);
  const missing = await cli(['report', '--compare', 'nope.json', bFile], repo.dir);
  t.equal(missing.code, 2);
  t.match(missing.stderr, /nope\.json does not exist/);
  const one = await cli(['report', '--compare', a], repo.dir);
  t.equal(one.code, 2);

  // A stored run that is truncated is skipped with a warning, never a failure of the run.
  writeFileSync(path.join(run1.folder, 'results.json'), '{"version": 1, "plan": ');
  const after = await cli(
    ['run', 'demo.plan.yaml', '--driver', 'local', '--baseline', path.join(run1.folder, 'results.json')],
    repo.dir,
  );
  t.equal(after.code, 1);
  t.match(latestRun(repo.dir).results.warnings, [/baseline: .*results\.json is not valid JSON.*: not compared/]);
});
