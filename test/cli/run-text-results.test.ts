/** `results: { text }` end to end with `--driver local`: a real per-file runner's output becomes the tests. */
import t from 'tap';
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, readOut, readResults, runCli, tempDir, writePlan } from './e2e-helpers.js';

const RUNNER = join(REPO, 'fixtures/evidence/projects/per-file-runner');

function project(withoutFailingFile: boolean): string {
  const dir = tempDir('text-results');
  cpSync(RUNNER, dir, { recursive: true });
  if (withoutFailingFile) rmSync(join(dir, 'tests/a-math.mjs'));
  return dir;
}

const planIn = (dir: string, env: Record<string, string> = {}) =>
  writePlan(
    {
      name: 'e2e-text-results',
      images: { node: { ref: 'testplan-node:20' } },
      phases: { unit: { image: 'node', run: 'node run-tests.mjs', env, results: { text: { preset: 'per-file' } } } },
    },
    dir,
  );

t.test("the phase's printed ✔ / FAILED! lines are its tests; a failing one fails the run", async (t) => {
  const dir = project(false);
  const out = tempDir('text-results-out');
  const res = await runCli(['run', planIn(dir), '--driver', 'local', '--out', out]);
  t.equal(res.code, 1, res.stderr);
  const results = readResults(out);
  t.same(results.tests, { total: 4, passed: 3, failed: 1, errored: 0, skipped: 0 });
  t.match(readOut(out, 'report.md'), /multiplies wrongly on purpose/);
});

t.test('a test file that dies between tests is a failure "stopped in <file>", never a pass', async (t) => {
  const dir = project(true);
  const out = tempDir('text-results-out');
  const res = await runCli(['run', planIn(dir, { STOP_ON_FAILURE: '1' }), '--driver', 'local', '--out', out]);
  t.equal(res.code, 1, res.stderr);
  const results = readResults(out);
  t.same(results.tests, { total: 2, passed: 1, failed: 1, errored: 0, skipped: 0 });
  t.match(readOut(out, 'report.md'), /stopped in tests\/b-db\.mjs: exited with code 7/);
});

t.test('evidence warnings reach results.json, the report and the console', async (t) => {
  const dir = project(true);
  const out = tempDir('text-results-out');
  const lcov = 'TN:\\nSF:src/a.js\\nDA:1,1\\nLF:1\\nLH:1\\nend_of_record\\n';
  const plan = writePlan(
    {
      name: 'e2e-evidence-warnings',
      images: { node: { ref: 'testplan-node:20' } },
      phases: {
        unit: {
          image: 'node',
          run: `printf '${lcov}' > $TESTPLAN_OUT/lcov.info; echo 'tests/a.mjs'; echo '  works ✔'`,
          results: { text: { preset: 'per-file' } },
          coverage: { format: 'lcov', path: '/out/lcov.info', pathMap: { '/app/': '' } },
        },
      },
    },
    dir,
  );
  const res = await runCli(['run', plan, '--driver', 'local', '--out', out]);
  t.equal(res.code, 0, res.stderr);
  const warning = 'phase unit: coverage.pathMap "/app/" matched none of the 1 files (they look like "src/a.js")';
  t.same(readResults(out).warnings, [warning]);
  t.match(readOut(out, 'report.md'), warning);
  t.match(res.stdout, `warning: ${warning}`);
});
