import t from 'tap';
import { renderStepSummary, STEP_SUMMARY_LIMIT_BYTES } from '../../../src/report/github/step-summary.js';
import { renderMarkdown } from '../../../src/report/markdown/render-markdown.js';
import type { RunResults } from '../../../src/report/results.js';
import { loadFixture, mutableCopy } from '../fixtures.js';

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

function withHugeLog(lines: number): RunResults {
  const r = mutableCopy(loadFixture('failing'));
  r.phases[1]!.logTail = Array.from({ length: lines }, (_, i) => `line ${i} ${'é'.repeat(60)}`);
  r.phases[1]!.logTail.push('THE LAST LINE');
  return r as RunResults;
}

t.test('a small report is the markdown report unchanged', async (t) => {
  const results = loadFixture('failing');
  t.equal(renderStepSummary(results), renderMarkdown(results));
  t.notMatch(renderStepSummary(results), /Trimmed/);
});

t.test('a huge log tail is trimmed under the 1 MiB limit, keeping the last lines and saying so', async (t) => {
  const results = withHugeLog(40_000);
  t.ok(bytes(renderMarkdown(results)) > STEP_SUMMARY_LIMIT_BYTES, 'the full report is over the limit');
  const summary = renderStepSummary(results);
  t.ok(bytes(summary) <= STEP_SUMMARY_LIMIT_BYTES, `summary is ${bytes(summary)} bytes`);
  t.ok(bytes(summary) > STEP_SUMMARY_LIMIT_BYTES / 4, 'it keeps as much as fits, not just the tables');
  t.match(
    summary,
    /ℹ️ \*\*Trimmed\*\* to stay under the 1 MiB GitHub step summary limit\. Shortened: log tail of phase integration\./,
  );
  t.match(summary, /_… \d+ earlier lines trimmed_/);
  t.match(summary, /THE LAST LINE/, 'a log keeps its end');
  t.match(summary, /\| coverage\.branches \| ≥ 70% \| 68\.2% \| ❌ fail/, 'the tables survive');
  t.match(summary, /## Timeline/, 'sections after the log survive');
});

t.test('the longest block is trimmed first: a short log beside a huge one stays whole', async (t) => {
  const r = mutableCopy(withHugeLog(20_000));
  r.phases[0]!.status = 'failed'; // so the unit phase log is shown too
  const summary = renderStepSummary(r as RunResults, 256 * 1024);
  t.ok(bytes(summary) <= 256 * 1024);
  t.match(summary, /Coverage XML written to file \/out\/coverage\.xml/, 'the short unit log is intact');
  t.notMatch(summary, /Shortened: [^.]*phase unit/);
});

t.test('a single enormous line is cut too', async (t) => {
  const r = mutableCopy(loadFixture('failing'));
  r.phases[1]!.failures[0]!.details = 'x'.repeat(3 * 1024 * 1024);
  const summary = renderStepSummary(r as RunResults);
  t.ok(bytes(summary) <= STEP_SUMMARY_LIMIT_BYTES);
  t.match(summary, /Shortened: details of tests\.integration\.test_pipeline > test_upload_persists_metadata/);
});

t.test('when even the tables are too big the end is cut off, fences closed, and the note says so', async (t) => {
  const r = mutableCopy(loadFixture('passing'));
  for (let i = 0; i < 4000; i++)
    r.gates.push({ gate: 'tests', name: `gate ${i}`, threshold: '≤ 0', actual: '0', status: 'pass' });
  const summary = renderStepSummary(r as RunResults, 64 * 1024);
  t.ok(bytes(summary) <= 64 * 1024, `summary is ${bytes(summary)} bytes`);
  t.match(summary, /The end of the report was cut off\./);
  t.match(summary, /_… cut off at the step summary limit\._\n$/);
  const fences = summary.split('\n').filter((l) => /^`{3,}/.test(l)).length;
  t.equal(fences % 2, 0, 'no code fence left open');
});
