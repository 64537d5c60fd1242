/**
 * Round trip on real containers: `plan init` on the Node and Python sample repositories, then
 * `plan run` of the generated plan untouched, goes green; one failing test makes it red.
 * Plan names are unique per test (--name): label checks never see another test file's run.
 */
import t from 'tap';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireEngine } from '../helpers/engine.js';
import { assertNothingLeft, readResults, runCli } from '../cli/e2e-helpers.js';
import { checkTypes, cli, copyFixture, tempDir, withEnv } from './helpers.js';

t.test(
  'node-app: a generated Dockerfile.test, node:test JUnit and lcov coverage, a first count; green, then red with a failing or a lost test',
  async (t) => {
    if (!requireEngine(t)) return;
    const repo = copyFixture('node-app');
    const init = await cli(['init', '--base', 'testplan-node:20', '--count', '--name', 'adopt-rt-init-node'], repo);
    t.equal(init.code, 0, init.stderr);
    t.match(init.stdout, /wrote Dockerfile\.test/);
    t.match(init.stdout, /counted 4 tests in a first run \(exit 0\): gates\.tests\.minExecuted = 4/);
    t.match(readFileSync(join(repo, 'plans/adopt-rt-init-node.plan.ts'), 'utf8'), /minExecuted: 4/);
    t.equal((await checkTypes(join(repo, 'plans/adopt-rt-init-node.plan.ts'))).code, 0);
    const out = tempDir('node-out');
    const res = await runCli(['run', '--out', out], { cwd: repo, timeoutMs: 600_000 });
    t.equal(res.code, 0, res.stderr);
    const results = readResults(out);
    t.equal(results.verdict, 'passed');
    t.equal(results.tests.passed, 4, 'the four node:test tests were read from JUnit');
    t.ok((results.coverage?.lines.total ?? 0) > 0, 'coverage was read from lcov');
    await assertNothingLeft(t, results);

    // A suite that silently lost tests: one test fewer than the first count is red.
    const source = readFileSync(join(repo, 'test/slugify.test.js'), 'utf8');
    writeFileSync(
      join(repo, 'test/slugify.test.js'),
      source.replace(/test\('accents are folded'[\s\S]*?\n\}\);\n/, ''),
    );
    const fewer = tempDir('node-fewer');
    t.equal(
      (await runCli(['run', '--out', fewer], { cwd: repo, timeoutMs: 600_000 })).code,
      1,
      'three tests where the first run counted four fails tests.executed',
    );
    writeFileSync(join(repo, 'test/slugify.test.js'), source);

    writeFileSync(
      join(repo, 'test/broken.test.js'),
      "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\ntest('broken', () => assert.equal(1, 2));\n",
    );
    const worse = tempDir('node-worse');
    t.equal(
      (await runCli(['run', '--out', worse], { cwd: repo, timeoutMs: 600_000 })).code,
      1,
      'a failing test fails the generated plan',
    );
  },
);

t.test(
  'orders without its compose file: the Dockerfile test stage, services from the CI workflow, fail_under as the gate',
  async (t) => {
    if (!requireEngine(t)) return;
    const repo = copyFixture('orders');
    rmSync(join(repo, 'docker-compose.test.yml'));
    const init = await cli(['init', '--name', 'adopt-rt-init-python'], repo);
    t.equal(init.code, 0, init.stderr);
    t.match(init.stdout, /services and the test step's env from \.github\/workflows\/ci\.yml/);
    t.match(init.stdout, /coverage threshold in pyproject\.toml fail_under/);
    const env = { PG_PASSWORD: 'init-round-trip' };
    t.equal((await withEnv(env, () => checkTypes(join(repo, 'plans/adopt-rt-init-python.plan.ts')))).code, 0);
    const out = tempDir('python-out');
    const res = await runCli(['run', '--out', out], { cwd: repo, env, timeoutMs: 600_000 });
    t.equal(res.code, 0, res.stderr);
    const results = readResults(out);
    t.equal(results.verdict, 'passed');
    t.equal(results.tests.passed, 3);
    await assertNothingLeft(t, results);

    writeFileSync(join(repo, 'tests/test_broken.py'), 'def test_always_fails():\n    assert 1 == 2\n');
    const worse = tempDir('python-worse');
    t.equal((await runCli(['run', '--out', worse], { cwd: repo, env, timeoutMs: 600_000 })).code, 1);
  },
);
