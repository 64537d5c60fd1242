/** `plan cache prune` and the run options' checks, in-process. */
import t from 'tap';
import { readdirSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { blobDigest, ENTRY_VERSION } from '../../src/cache/entry.js';
import { LocalStore } from '../../src/cache/local-store.js';
import { parseAge, parseSize } from '../../src/cli/commands/cache.js';
import { cli } from '../helpers/in-process-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

async function fill(dir: string, n: number, daysAgo: (i: number) => number): Promise<void> {
  const store = new LocalStore(dir);
  for (let i = 1; i <= n; i++) {
    const blob = Buffer.alloc(1024 * 1024, i);
    const key = i.toString(16).padStart(64, '0');
    await store.put(
      {
        v: ENTRY_VERSION,
        key,
        plan: 'p',
        phase: 'x',
        runId: 'r',
        createdAt: 'now',
        blob: { digest: blobDigest(blob), size: blob.length },
      },
      blob,
    );
    const used = new Date(Date.now() - daysAgo(i) * 86_400_000);
    utimesSync(path.join(dir, key), used, used);
  }
}

t.test('plan cache prune drops old entries, then the least recently used past the size', async (t) => {
  const dir = path.join(tempDir('cache-cmd'), 'phases');
  await fill(dir, 4, (i) => i * 3); // 3, 6, 9, 12 days unused
  const aged = await cli(['cache', 'prune', '--cache-dir', dir, '--max-age', '7d'], tempDir('cwd'));
  t.equal(aged.code, 0, aged.stderr);
  t.match(aged.stdout, /removed 2 entries .*kept 2/);
  const sized = await cli(['cache', 'prune', '--max-size', '1.5MB'], tempDir('cwd'), { TESTPLAN_CACHE_DIR: dir });
  t.equal(sized.code, 0, sized.stderr);
  t.same(readdirSync(dir), ['1'.padStart(64, '0')], 'the most recently used stays');
});

t.test('bad sizes, ages, sub-commands and registry URLs are usage errors (exit 2)', async (t) => {
  const cwd = tempDir('cwd');
  t.equal((await cli(['cache', 'prune', '--max-size', 'lots'], cwd)).code, 2);
  t.equal((await cli(['cache', 'prune', '--max-age', 'forever'], cwd)).code, 2);
  t.equal((await cli(['cache', 'clear'], cwd)).code, 2);
  const bad = await cli(['run', '--cache-from', 'http://host/repo'], cwd);
  t.equal(bad.code, 2);
  t.match(bad.stderr, /registry:\/\/HOST/);
  t.equal(parseSize('2GB'), 2 * 1024 ** 3);
  t.equal(parseSize('500mb'), 500 * 1024 ** 2);
  t.equal(parseAge('14d'), 14 * 86_400_000);
  t.equal(parseAge('12h'), 12 * 3_600_000);
});
