/**
 * Round trip on real containers: the orders compose file and CI workflow, imported and run untouched
 * with `plan run` (the built CLI), go green; the same repository with one failing test goes red.
 * Plan names are unique per test (--name): label checks never see another test file's run.
 */
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireEngine } from '../helpers/engine.js';
import { assertNothingLeft, readResults, runCli } from '../cli/e2e-helpers.js';
import { ADOPT_FIXTURES, cli, copyFixture, tempDir } from './helpers.js';

const FAILING_TEST = 'def test_always_fails():\n    assert 1 == 2\n';

t.test('compose import runs green with the mocks profile, and red with a failing test', async (t) => {
  if (!requireEngine(t)) return;
  const repo = copyFixture('orders');
  t.equal((await cli(['import', 'compose', 'docker-compose.test.yml', '--name', 'adopt-rt-compose'], repo)).code, 0);
  const out = tempDir('compose-out');
  const res = await runCli(['run', 'plans/adopt-rt-compose.plan.ts', '--profile', 'mocks', '--out', out], {
    cwd: repo,
    timeoutMs: 600_000,
  });
  t.equal(res.code, 0, res.stderr);
  const results = readResults(out);
  t.equal(results.verdict, 'passed');
  t.same(results.phases.map((p) => p.name).sort(), ['contract-tests', 'tests']);
  await assertNothingLeft(t, results);

  writeFileSync(join(repo, 'tests/test_broken.py'), FAILING_TEST);
  const worse = tempDir('compose-worse');
  const red = await runCli(['run', 'plans/adopt-rt-compose.plan.ts', '--out', worse], {
    cwd: repo,
    timeoutMs: 600_000,
  });
  t.equal(red.code, 1, 'one failing test makes the imported plan fail');
  t.equal(readResults(worse).verdict, 'failed');
});

t.test(
  'workflow import runs green in the job container with the secret exported, and red with a failing test',
  async (t) => {
    if (!requireEngine(t)) return;
    // The workflow's job container: in CI it comes from a registry; here it is built from the fixture's Dockerfile.
    execFileSync(
      'docker',
      ['build', '-q', '-t', 'testplan-adopt/orders-test:latest', '--target', 'test', join(ADOPT_FIXTURES, 'orders')],
      { stdio: 'ignore' },
    );
    const repo = copyFixture('orders');
    t.equal(
      (await cli(['import', 'github-actions', '.github/workflows/ci.yml', '--name', 'adopt-rt-workflow'], repo)).code,
      0,
    );
    const env = { PG_PASSWORD: 'round-trip-pw' };
    const out = tempDir('workflow-out');
    const res = await runCli(['run', 'plans/adopt-rt-workflow.plan.ts', '--out', out], {
      cwd: repo,
      env,
      timeoutMs: 600_000,
    });
    t.equal(res.code, 0, res.stderr);
    const results = readResults(out);
    t.equal(results.verdict, 'passed');
    t.notMatch(JSON.stringify(results), /round-trip-pw/, 'the secret is never stored');
    await assertNothingLeft(t, results);

    writeFileSync(join(repo, 'tests/test_broken.py'), FAILING_TEST);
    const worse = tempDir('workflow-worse');
    const red = await runCli(['run', 'plans/adopt-rt-workflow.plan.ts', '--out', worse], {
      cwd: repo,
      env,
      timeoutMs: 600_000,
    });
    t.equal(red.code, 1, 'a failing test in the mounted checkout fails the phase (bash pipefail) and the gates');
  },
);
