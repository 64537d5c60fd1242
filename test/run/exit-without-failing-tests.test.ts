/**
 * A phase that exits non-zero with 0 failing tests (here c8's own coverage threshold, real output) says
 * so in one headline, and the report quotes the runner's error lines rather than its whole log tail.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compilePlan } from '../../src/compile/compile.js';
import { renderMarkdown } from '../../src/report/markdown/render-markdown.js';
import { ErrorLines, MAX_ERROR_LINES, runnerErrorLines } from '../../src/text/error-lines.js';
import { runIdentity } from '../../src/run/run-identity.js';
import { runPlan } from '../../src/run/run-plan.js';
import { FakeDriver } from '../helpers/fake-driver.js';
import { phase, plan } from '../helpers/plan-builder.js';
import { tempDir } from '../helpers/temp-dir.js';

const log = readFileSync(
  fileURLToPath(new URL('../../fixtures/runner-output/c8-threshold.log', import.meta.url)),
  'utf8',
)
  .trimEnd()
  .split('\n');
const junit = `<?xml version="1.0"?><testsuites><testsuite name="s" tests="1"><testcase classname="s" name="adds" time="0.01"/></testsuite></testsuites>`;

t.test('c8 threshold after passing tests: one headline and the error line quoted', async (t) => {
  const p = plan({ phases: [phase('unit', { results: { format: 'junit', path: '/out/junit.xml' } })] });
  const outDir = tempDir('exit');
  const results = await runPlan({
    plan: p,
    graph: compilePlan(p),
    driver: new FakeDriver({ logs: { unit: log }, exitCodes: { unit: [1] }, files: { '/out/junit.xml': junit } }),
    run: runIdentity(p.name, 'run-1', outDir),
    signal: new AbortController().signal,
    onEvent: () => {},
  });
  t.equal(results.phases[0]!.status, 'failed');
  t.match(
    results.phases[0]!.message,
    /^exited with code 1 with 0 failing tests \(1 passed\): the runner failed on its own/,
  );
  const markdown = renderMarkdown(results);
  t.same(
    results.phases[0]!.errorLines,
    ['ERROR: Coverage for functions (33.33%) does not meet global threshold (90%)'],
    'collected from the whole output',
  );
  t.match(
    markdown,
    /The runner's error lines \(from its whole output; the last \d+ log lines are in results\.json\):\n\n```text\nERROR: Coverage for functions \(33\.33%\) does not meet global threshold \(90%\)\n```/,
  );
  t.match(markdown, /Last 10 log lines of phase unit/);
  t.notMatch(markdown, /# Subtest: adds/, 'not the whole log');
});

t.test('error-looking lines: errors, failures and thresholds, not ordinary output', async (t) => {
  t.same(
    runnerErrorLines([
      'ok 1 - adds',
      '# fail 0',
      'Error: connect ECONNREFUSED',
      'npm ERR! code ELIFECYCLE',
      '✖ 2 problems',
      'Jest: "global" coverage threshold for lines (90%) not met: 50%',
      'all good',
    ]),
    [
      'Error: connect ECONNREFUSED',
      'npm ERR! code ELIFECYCLE',
      '✖ 2 problems',
      'Jest: "global" coverage threshold for lines (90%) not met: 50%',
    ],
  );
});

t.test('error lines are collected from a whole stream, the first ones kept and the rest counted', async (t) => {
  const collector = new ErrorLines();
  for (let i = 0; i < 5000; i++) collector.add(i % 100 === 0 ? `Error: boom ${i}` : `ok ${i}`);
  const lines = collector.lines();
  t.equal(lines.length, MAX_ERROR_LINES + 1);
  t.equal(lines[0], 'Error: boom 0', 'an error long before any 200-line tail is kept');
  t.equal(lines.at(-1), `… and ${50 - MAX_ERROR_LINES} more error lines`);
});
