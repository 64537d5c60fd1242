/** `plan report` re-renders from results.json alone, without an engine; under GitHub Actions it feeds the step summary. */
import t from 'tap';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, runCli, tempDir } from './e2e-helpers.js';

const FIXTURE = join(REPO, 'fixtures/results/failing.json');
const GOLDEN = join(REPO, 'fixtures/results/failing.md');
const NO_ENGINE = { DOCKER_HOST: 'unix:///nonexistent.sock' };

t.test('plan report re-renders report.md and junit.xml from results.json without touching an engine', async (t) => {
  const dir = tempDir('report');
  copyFileSync(FIXTURE, join(dir, 'results.json'));
  const out = join(dir, 'rendered');
  const res = await runCli(['report', join(dir, 'results.json'), '--out', out], { env: NO_ENGINE });
  t.equal(res.code, 0, res.stderr);
  t.equal(
    readFileSync(join(out, 'report.md'), 'utf8'),
    readFileSync(GOLDEN, 'utf8'),
    'report.md equals the golden rendering',
  );
  t.match(readFileSync(join(out, 'junit.xml'), 'utf8'), /<testsuites/);
  t.notOk(existsSync(join(dir, 'report.md')), 'with --out nothing is written next to results.json');
});

t.test('plan report of a missing or broken results.json fails with a message', async (t) => {
  const dir = tempDir('report-bad');
  const res = await runCli(['report', join(dir, 'nope.json'), '--out', dir], { env: NO_ENGINE });
  t.not(res.code, 0);
  t.match(res.stderr, /nope\.json/);
});

t.test('under GitHub Actions plan report appends the report to $GITHUB_STEP_SUMMARY', async (t) => {
  const dir = tempDir('report-gha');
  const summary = join(dir, 'summary.md');
  const res = await runCli(['report', FIXTURE, '--out', dir], {
    env: { ...NO_ENGINE, GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary },
  });
  t.equal(res.code, 0, res.stderr);
  t.match(readFileSync(summary, 'utf8'), /^status: failed$/m);
});

// Issue 5: under GitHub Actions "failures become ::error annotations and phase logs ::group::s".
// `plan run` prints them (test/cli/run-services.test.ts); `plan report` must too, for a re-render in a later CI step.
t.test('under GitHub Actions plan report prints ::error annotations and ::group:: lines', async (t) => {
  const dir = tempDir('report-gha-annotations');
  const res = await runCli(['report', FIXTURE, '--out', dir], {
    env: { ...NO_ENGINE, GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: join(dir, 's.md') },
  });
  t.match(res.stdout, /^::error/m);
  t.match(res.stdout, /^::group::/m);
});
