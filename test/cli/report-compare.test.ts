/** `plan report --compare` on hostile inputs: exit 2 with a message naming the file, never a stack trace. */
import t from 'tap';
import { truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MAX_RESULTS_BYTES } from '../../src/run/stored-runs.js';
import { tempDir } from '../helpers/temp-dir.js';
import { cli } from '../helpers/in-process-cli.js';
import { fixturePath } from '../report/fixtures.js';

const passing = fixturePath('passing', 'json');
const failing = fixturePath('failing', 'json');

t.test('two valid runs: markdown on stdout, exit 0', async (t) => {
  const res = await cli(['report', '--compare', passing, failing], process.cwd());
  t.equal(res.code, 0, res.stderr);
  t.match(res.stdout, /## Since baseline[\s\S]*\*\*New failures\*\* \(2\)/);
});

t.test('huge, folder, wrong version: exit 2 naming the file', async (t) => {
  const dir = tempDir('compare-hostile');
  const huge = path.join(dir, 'huge.json');
  writeFileSync(huge, '{}');
  truncateSync(huge, MAX_RESULTS_BYTES + 1);
  const old = path.join(dir, 'old.json');
  writeFileSync(old, JSON.stringify({ version: 0 }));
  for (const [file, why] of [
    [huge, /huge\.json is \d+ bytes, more than a results\.json can be/],
    [dir, /is not a file/],
    [old, /old\.json has version 0/],
  ] as const) {
    const res = await cli(['report', '--compare', file, passing], process.cwd());
    t.equal(res.code, 2);
    t.match(res.stderr, why);
    t.notMatch(res.stderr, /\n\s+at /, 'no stack trace');
  }
});
