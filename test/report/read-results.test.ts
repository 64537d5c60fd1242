import t from 'tap';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../src/errors.js';
import { readResults } from '../../src/report/read-results.js';
import { renderMarkdown } from '../../src/report/markdown/render-markdown.js';
import { serializeResults, writeReports } from '../../src/report/write-reports.js';
import { fixturePath, loadFixture } from './fixtures.js';
import { tempDir } from '../helpers/temp-dir.js';

t.test('readResults returns what writeReports wrote, and re-renders the same report', async (t) => {
  const dir = tempDir('report');
  const results = loadFixture('failing');
  const written = await writeReports(results, join(dir, 'run'), {});
  const back = readResults(written.resultsJson);
  t.same(back, results);
  t.equal(renderMarkdown(back), readFileSync(written.markdown, 'utf8'));
  t.equal(readFileSync(fixturePath('failing', 'md'), 'utf8'), renderMarkdown(back));
});

t.test('results.json is pretty JSON with the version first', async (t) => {
  const text = serializeResults(loadFixture('passing'));
  t.match(text, /^\{\n {2}"version": 1,\n {2}"plan": \{/);
});

t.test('a missing file says to run the plan first', async (t) => {
  const file = join(tempDir('report'), 'nope.json');
  t.throws(() => readResults(file), {
    constructor: UsageError,
    message: `${file} does not exist. Run \`plan run\` first, or pass the path of the results.json it wrote.`,
  });
});

t.test('a folder instead of a file says which file to pass', async (t) => {
  const dir = tempDir('report');
  mkdirSync(join(dir, 'results.json'));
  t.throws(() => readResults(join(dir, 'results.json')), { constructor: UsageError, message: /is a folder/ });
});

t.test('bad JSON says so with the parser reason', async (t) => {
  const file = join(tempDir('report'), 'results.json');
  writeFileSync(file, '{"version": 1,');
  t.throws(() => readResults(file), {
    constructor: UsageError,
    message: /results\.json is not valid JSON \(.+\)\. Pass the results\.json a `plan run` wrote/,
  });
  writeFileSync(file, '[1,2]');
  t.throws(() => readResults(file), { constructor: UsageError, message: /does not hold a results object/ });
});

t.test('an unknown or missing version is refused with the version this testplan reads', async (t) => {
  const file = join(tempDir('report'), 'results.json');
  writeFileSync(file, JSON.stringify({ ...loadFixture('passing'), version: 2 }));
  t.throws(() => readResults(file), {
    constructor: UsageError,
    message: /has version 2; this testplan reads results version 1/,
  });
  const { version: _v, ...noVersion } = loadFixture('passing');
  writeFileSync(file, JSON.stringify(noVersion));
  t.throws(() => readResults(file), { constructor: UsageError, message: /has no `version` field/ });
});

t.test('a wrong field is named by its path', async (t) => {
  const file = join(tempDir('report'), 'results.json');
  const r = JSON.parse(serializeResults(loadFixture('passing')));
  r.phases[1].status = 'great';
  delete r.runId;
  writeFileSync(file, JSON.stringify(r));
  const error = t.throws(() => readResults(file)) as Error;
  t.ok(error instanceof UsageError);
  t.match(error.message, /\/phases\/1\/status/);
  t.match(error.message, /\/runId/);
  t.match(error.message, /Run the plan again to write a fresh one\./);
});

t.test('extra fields (additive changes) are accepted', async (t) => {
  const file = join(tempDir('report'), 'results.json');
  writeFileSync(file, JSON.stringify({ ...loadFixture('passing'), somethingNew: { a: 1 } }));
  t.equal(readResults(file).runId, '20261125-140210-7f3a');
});
