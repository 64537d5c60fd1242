/** The local store: round trip, nothing corrupt, partial or foreign is served, pruning bounds it. */
import t from 'tap';
import { chmodSync, mkdirSync, readdirSync, utimesSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { blobDigest, ENTRY_VERSION, packEntry, unpackEntry, type EntryMeta } from '../../src/cache/entry.js';
import { LocalStore } from '../../src/cache/local-store.js';
import { pruneLocal } from '../../src/cache/prune.js';
import { tempDir } from '../helpers/temp-dir.js';

const key = (n: number): string => n.toString(16).padStart(64, '0');

function entry(n: number, blob = Buffer.from(`blob ${n}`)): { meta: EntryMeta; blob: Buffer } {
  return {
    meta: {
      v: ENTRY_VERSION,
      key: key(n),
      plan: 'p',
      phase: 'unit',
      runId: `run-${n}`,
      createdAt: '2026-01-01T00:00:00.000Z',
      commit: 'abc',
      blob: { digest: blobDigest(blob), size: blob.length },
    },
    blob,
  };
}

t.test('what is put is got back, verified', async (t) => {
  const store = new LocalStore(path.join(tempDir('store'), 'phases'));
  const e = entry(1);
  t.equal(await store.get(key(1)), undefined, 'nothing yet');
  await store.put(e.meta, e.blob);
  const got = await store.get(key(1));
  t.same(got?.meta, e.meta);
  t.same(got?.blob, e.blob);
  t.equal(await store.get('../../etc/passwd'), undefined, 'a key that is not a key names no file');
});

t.test('a corrupt blob, a truncated one or a mismatched meta is never served', async (t) => {
  const dir = path.join(tempDir('store'), 'phases');
  const store = new LocalStore(dir);
  const e = entry(2);
  await store.put(e.meta, e.blob);
  const blobFile = path.join(dir, key(2), 'blob.tar');
  writeFileSync(blobFile, 'blob 3');
  t.equal(await store.get(key(2)), undefined, 'same size, other bytes');
  writeFileSync(blobFile, 'blob');
  t.equal(await store.get(key(2)), undefined, 'truncated');
  writeFileSync(blobFile, e.blob);
  t.ok(await store.get(key(2)), 'intact again');
  writeFileSync(path.join(dir, key(2), 'meta.json'), JSON.stringify({ ...e.meta, key: key(9) }));
  t.equal(await store.get(key(2)), undefined, 'a meta naming another key');
  writeFileSync(path.join(dir, key(2), 'meta.json'), '{"v":1,');
  t.equal(await store.get(key(2)), undefined, 'a half-written meta');
  await store.put(e.meta, e.blob);
  t.ok(await store.get(key(2)), 'putting again replaces the corrupt entry');
});

t.test('a write killed half way leaves no entry under the key', async (t) => {
  const dir = path.join(tempDir('store'), 'phases');
  const store = new LocalStore(dir);
  await store.put(entry(1).meta, entry(1).blob);
  // What a killed put leaves: a temp folder with a blob and no meta.
  mkdirSync(path.join(dir, '.tmp-dead'), { mode: 0o700 });
  writeFileSync(path.join(dir, '.tmp-dead', 'blob.tar'), 'half');
  t.equal(await store.get(key(3)), undefined);
  const old = new Date(Date.now() - 2 * 3600_000);
  utimesSync(path.join(dir, '.tmp-dead'), old, old);
  await pruneLocal(dir, { maxBytes: 1e9, maxAgeMs: 1e9 });
  t.notOk(existsSync(path.join(dir, '.tmp-dead')), 'pruning removes what killed writes left');
});

t.test('entries writable by others, or a cache folder writable by others, are ignored', async (t) => {
  const dir = path.join(tempDir('store'), 'phases');
  const store = new LocalStore(dir);
  await store.put(entry(4).meta, entry(4).blob);
  chmodSync(path.join(dir, key(4), 'blob.tar'), 0o666);
  t.equal(await store.get(key(4)), undefined, 'a world-writable blob');
  chmodSync(path.join(dir, key(4), 'blob.tar'), 0o600);
  chmodSync(path.join(dir, key(4)), 0o777);
  t.equal(await store.get(key(4)), undefined, 'a world-writable entry folder');
  chmodSync(path.join(dir, key(4)), 0o700);
  chmodSync(dir, 0o777);
  t.equal(await store.get(key(4)), undefined, 'a world-writable cache folder');
  await t.rejects(store.put(entry(5).meta, entry(5).blob), /not this user's alone/, 'and nothing is written there');
  chmodSync(dir, 0o700);
  t.ok(await store.get(key(4)));
});

t.test('pruning drops entries unused for too long, then the least recently used past the size', async (t) => {
  const dir = path.join(tempDir('store'), 'phases');
  const store = new LocalStore(dir);
  const now = Date.now();
  for (let n = 1; n <= 4; n++) {
    const e = entry(n, Buffer.alloc(1000, n));
    await store.put(e.meta, e.blob);
    const used = new Date(now - n * 24 * 3600_000); // entry n last used n days ago
    utimesSync(path.join(dir, key(n)), used, used);
  }
  const aged = await pruneLocal(dir, { maxBytes: 1e9, maxAgeMs: 3.5 * 24 * 3600_000, now });
  t.equal(aged.removed, 1, 'the 4-day-old entry');
  await store.get(key(3)); // a hit makes it the most recently used
  const sized = await pruneLocal(dir, { maxBytes: 3000, maxAgeMs: 1e12, now: Date.now() });
  t.equal(sized.kept, 2);
  t.same(readdirSync(dir).sort(), [key(1), key(3)].sort(), 'the two most recently used stay');
});

t.test('an entry packs a phase folder and unpacks it elsewhere, and refuses names leaving the folder', async (t) => {
  const src = tempDir('phase');
  mkdirSync(path.join(src, 'files/out'), { recursive: true });
  writeFileSync(path.join(src, 'files/out/junit.xml'), '<testsuites/>');
  const state = {
    attempts: [{ attempt: 1, exitCode: 0, timedOut: false, aborted: false, durationMs: 5, logTail: ['ok'] }],
    collected: [{ source: '/out/junit.xml', rel: 'files/out/junit.xml' }],
    logLines: 2,
  };
  const blob = await packEntry(src, state, ['line 1', 'line 2']);
  const dest = path.join(tempDir('restore'), 'unit');
  const back = await unpackEntry(blob, dest);
  t.same(back.state, state);
  t.same(back.log, ['line 1', 'line 2']);
  t.equal(readFileSync(path.join(dest, 'files/out/junit.xml'), 'utf8'), '<testsuites/>');
  const { pack } = await import('tar-stream');
  const evil = pack();
  const chunks: Buffer[] = [];
  evil.on('data', (c: unknown) => chunks.push(c as Buffer));
  evil.entry({ name: 'state.json' }, JSON.stringify(state));
  evil.entry({ name: 'phase/../../escaped.txt' }, 'x');
  evil.finalize();
  await new Promise<void>((r) => evil.on('end', () => r()));
  await t.rejects(unpackEntry(Buffer.concat(chunks), path.join(tempDir('restore'), 'unit')), /outside its folder/);
});
