import t from 'tap';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { renderJunit } from '../../src/report/junit/render-junit.js';
import { renderMarkdown } from '../../src/report/markdown/render-markdown.js';
import { writeReports } from '../../src/report/write-reports.js';
import { loadFixture } from './fixtures.js';
import { tempDir } from '../helpers/temp-dir.js';

t.test('writes results.json, report.md and junit.xml into a new folder and returns their paths', async (t) => {
  const dir = join(tempDir('write'), 'deep', 'run-1');
  const results = loadFixture('failing');
  const written = await writeReports(results, dir, {});
  t.same(written, {
    resultsJson: join(dir, 'results.json'),
    markdown: join(dir, 'report.md'),
    junit: join(dir, 'junit.xml'),
  });
  t.equal(readFileSync(written.markdown, 'utf8'), renderMarkdown(results));
  t.equal(readFileSync(written.junit, 'utf8'), renderJunit(results));
  t.equal(JSON.parse(readFileSync(written.resultsJson, 'utf8')).version, 1);
});

t.test('under GitHub Actions the report is appended to the step summary file', async (t) => {
  const dir = tempDir('write');
  const summary = join(dir, 'summary.md');
  writeFileSync(summary, 'earlier step output\n');
  const written = await writeReports(loadFixture('passing'), join(dir, 'out'), {
    GITHUB_ACTIONS: 'true',
    GITHUB_STEP_SUMMARY: summary,
  });
  t.equal(written.stepSummary, summary);
  const text = readFileSync(summary, 'utf8');
  t.ok(text.startsWith('earlier step output\n---\nstatus: passed\n'), 'appended, not overwritten');
});

t.test('outside GitHub Actions the step summary file is left alone', async (t) => {
  const dir = tempDir('write');
  const summary = join(dir, 'summary.md');
  const written = await writeReports(loadFixture('passing'), join(dir, 'out'), {
    GITHUB_ACTIONS: 'false',
    GITHUB_STEP_SUMMARY: summary,
  });
  t.equal(written.stepSummary, undefined);
  t.notOk(existsSync(summary));
});

t.test('the step summary honours its size limit', async (t) => {
  const dir = tempDir('write');
  const summary = join(dir, 'summary.md');
  await writeReports(
    loadFixture('failing'),
    join(dir, 'out'),
    { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary },
    { stepSummaryLimitBytes: 4096 },
  );
  const size = Buffer.byteLength(readFileSync(summary, 'utf8'));
  t.ok(size <= 4096, `${size} bytes`);
  t.match(readFileSync(summary, 'utf8'), /Trimmed/);
});

t.test('earlier output of the same step counts against the step summary limit', async (t) => {
  const dir = tempDir('write');
  const summary = join(dir, 'summary.md');
  writeFileSync(summary, `${'x'.repeat(3000)}\n`);
  await writeReports(
    loadFixture('failing'),
    join(dir, 'out'),
    { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary },
    { stepSummaryLimitBytes: 6000 },
  );
  const size = Buffer.byteLength(readFileSync(summary, 'utf8'));
  t.ok(size <= 6000, `${size} bytes`);
  t.ok(size > 4500, 'the report uses the room that is left');
  t.match(readFileSync(summary, 'utf8'), /Trimmed/);
});
