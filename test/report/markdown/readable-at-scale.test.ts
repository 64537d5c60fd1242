import t from 'tap';
import { renderMarkdown } from '../../../src/report/markdown/render-markdown.js';
import type { RunResults } from '../../../src/report/results.js';
import { loadFixture, mutableCopy } from '../fixtures.js';

const failure = (i: number, message: string) => ({
  suite: 'api',
  name: `case ${i}`,
  status: 'failed' as const,
  durationMs: 1,
  message,
  details: `Error: ${message}\n    at connect (db.js:${i}:1)\n    at run (runner.js:9:9)`,
});

t.test('95 failures with one message are one group: the count, a capped list, one detail block', async (t) => {
  const results = mutableCopy(loadFixture('failing'));
  const phase = results.phases[0]!;
  const failures = [
    ...Array.from({ length: 95 }, (_, i) => failure(i, 'connect ECONNREFUSED 127.0.0.1:5432')),
    failure(95, 'expected 200, got 500'),
  ];
  phase.failures = failures;
  phase.tests = failures;
  const markdown = renderMarkdown(results as RunResults);
  t.match(markdown, /95 tests failed with:\n\n> connect ECONNREFUSED 127\.0\.0\.1:5432/);
  t.match(markdown, /1 test failed with:\n\n> expected 200, got 500/);
  t.match(markdown, /- … and 85 more \(all of them in results\.json and junit\.xml\)/);
  t.equal(
    markdown.match(/connect ECONNREFUSED 127\.0\.0\.1:5432/g)!.length,
    2,
    'the message once as the cause, once in the one detail block',
  );
  t.equal(markdown.match(/Details of `api > case \d+`/g)!.length, 2, 'one detail block per distinct message');
  t.ok(markdown.split('\n').length < 200, `report stays short (${markdown.split('\n').length} lines)`);
});

t.test('a criterion or gate that is not pass states its reason in the table', async (t) => {
  const results = mutableCopy(loadFixture('unverified'));
  const c = results.acceptance.find((a) => a.status === 'unverified')!;
  c.reason = '1 of 50 matching tests was skipped: api > slow upload';
  t.match(
    renderMarkdown(results as RunResults),
    /⚠️ unverified — 1 of 50 matching tests was skipped: api > slow upload \|/,
  );
});

t.test('evidence cells stay short: a few examples and how many more are in results.json', async (t) => {
  const results = mutableCopy(loadFixture('passing'));
  results.acceptance[0]!.evidence = Array.from({ length: 40 }, (_, i) => `api > case ${i} passed (phase unit)`);
  const markdown = renderMarkdown(results as RunResults);
  t.match(markdown, /api > case 2 passed \(phase unit\)<br>… 37 more lines in results\.json \|/);
  t.notMatch(markdown, /case 3 passed/);
});

t.test("implicit per-phase gates are shown apart from the plan's gates", async (t) => {
  const results = mutableCopy(loadFixture('passing'));
  results.gates.push({
    gate: 'tests',
    name: 'tests[unit].executed',
    threshold: '≥ 1',
    actual: '12',
    status: 'pass',
    implicit: true,
  });
  const markdown = renderMarkdown(results as RunResults);
  const [own, added] = markdown.split('Checks Testplan adds');
  t.notMatch(own!, /tests\[unit\]\.executed/);
  t.match(added!, /\| tests\[unit\]\.executed \| ≥ 1 \| 12 \| ✅ pass \|/);
});

t.test(
  'the summary and a gate show the same figure for the same ratio, and no figure for what was not measured',
  async (t) => {
    const results = mutableCopy(loadFixture('passing'));
    // 2/3 = 66.666…%: the gate floors to 66.6%, and so must the summary (toFixed printed 66.7%).
    results.coverage = {
      lines: { covered: 2, total: 3, pct: 200 / 3 },
      branches: { covered: 0, total: 0, pct: null },
      functions: { covered: 1, total: 1, pct: 100 },
      statements: { covered: 0, total: 0, pct: null },
    };
    const markdown = renderMarkdown(results as RunResults);
    t.match(markdown, /\*\*Coverage:\*\* lines 66\.6% · functions 100\.0%\n/);
  },
);

t.test("the Tests line says which phase's results are not in its totals", async (t) => {
  const results = mutableCopy(loadFixture('passing'));
  const e2e = results.phases[1]!;
  delete e2e.counts;
  e2e.errors = [{ file: '/out/e2e.xml', phase: e2e.name, message: 'not well-formed XML' }];
  t.match(
    renderMarkdown(results as RunResults),
    new RegExp(`\\*\\*Tests:\\*\\* .* skipped — not counted: \`${e2e.name}\` \\(results could not be read\\)`),
  );
});
