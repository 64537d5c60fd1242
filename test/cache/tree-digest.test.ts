/** Mounted folders' content digests: content counts, stats only speed it up, excludes and symlinks hold. */
import t from 'tap';
import { chmodSync, mkdirSync, symlinkSync, utimesSync, writeFileSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { TreeDigester } from '../../src/cache/tree-digest.js';
import { tempDir } from '../helpers/temp-dir.js';

const HOUR_AGO = new Date(Date.now() - 3600_000);

function tree(files: Record<string, string>): string {
  const root = tempDir('tree');
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(root, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
    utimesSync(file, HOUR_AGO, HOUR_AGO); // older than the racy window: the stat cache may trust it
  }
  return root;
}

/** Looks taken a minute later: files written by the test are past the racy window. */
const later = (): number => Date.now() + 60_000;
const digest = (root: string, statDir?: string): Promise<string> => new TreeDigester(statDir, later).digest(root);

t.test('content changes the digest; stats alone do not', async (t) => {
  const root = tree({ 'a.txt': 'one', 'src/b.ts': 'two' });
  const d0 = await digest(root);
  utimesSync(path.join(root, 'a.txt'), new Date(), new Date());
  t.equal(await digest(root), d0, 'touching a file keeps the digest');
  writeFileSync(path.join(root, 'src/b.ts'), 'TWO');
  t.not(await digest(root), d0, 'an edited file changes it');
  writeFileSync(path.join(root, 'src/b.ts'), 'two');
  t.equal(await digest(root), d0, 'and back');
  writeFileSync(path.join(root, 'new.txt'), '');
  t.not(await digest(root), d0, 'a new empty file changes it');
});

t.test('a renamed file and an executable bit change the digest', async (t) => {
  const a = tree({ 'x.sh': 'echo' });
  const b = tree({ 'y.sh': 'echo' });
  t.not(await digest(a), await digest(b));
  const d0 = await digest(a);
  chmodSync(path.join(a, 'x.sh'), 0o755);
  t.not(await digest(a), d0);
});

t.test('the same content in another place has the same digest', async (t) => {
  t.equal(await digest(tree({ 'a/b': '1', c: '2' })), await digest(tree({ c: '2', 'a/b': '1' })));
});

t.test('.testplanignore (else .dockerignore) leaves files out; .git and .testplan never count', async (t) => {
  const root = tree({
    'src/a.ts': 'a',
    'node_modules/x/i.js': 'x',
    '.dockerignore': 'node_modules\n',
    '.git/HEAD': 'ref',
  });
  const d0 = await digest(root);
  writeFileSync(path.join(root, 'node_modules/x/i.js'), 'changed');
  writeFileSync(path.join(root, '.git/HEAD'), 'other');
  mkdirSync(path.join(root, '.testplan/runs/r1'), { recursive: true });
  writeFileSync(path.join(root, '.testplan/runs/r1/results.json'), '{}');
  t.equal(await digest(root), d0, 'ignored files do not count');
  writeFileSync(path.join(root, '.testplanignore'), 'src\n');
  const d1 = await digest(root);
  t.not(d1, d0, '.testplanignore itself counts, and replaces .dockerignore');
  writeFileSync(path.join(root, 'src/a.ts'), 'changed');
  t.equal(await digest(root), d1, 'src is now left out');
  writeFileSync(path.join(root, 'node_modules/x/i.js'), 'changed again');
  t.not(await digest(root), d1, 'node_modules counts again');
});

t.test('an exception (!) re-includes a file inside an ignored folder', async (t) => {
  const root = tree({ 'gen/keep.ts': 'k', 'gen/drop.ts': 'd', '.testplanignore': 'gen\n!gen/keep.ts\n' });
  const d0 = await digest(root);
  writeFileSync(path.join(root, 'gen/drop.ts'), 'D');
  t.equal(await digest(root), d0);
  writeFileSync(path.join(root, 'gen/keep.ts'), 'K');
  t.not(await digest(root), d0);
});

t.test('symlinks count by their target and are never followed out of the tree', async (t) => {
  const outside = tree({ 'secret.txt': 'outside' });
  const root = tree({ 'a.txt': 'a' });
  symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'link'));
  symlinkSync(outside, path.join(root, 'dirlink'));
  const d0 = await digest(root);
  writeFileSync(path.join(outside, 'secret.txt'), 'changed outside');
  writeFileSync(path.join(outside, 'more.txt'), 'new outside');
  t.equal(await digest(root), d0, 'nothing outside was read');
});

t.test('the output folder of the run is left out when it is inside the mount', async (t) => {
  const root = tree({ 'a.txt': 'a' });
  const out = path.join(root, 'out');
  const d0 = await new TreeDigester(undefined).digest(root, [out]);
  mkdirSync(out);
  writeFileSync(path.join(out, 'results.json'), '{}');
  t.equal(await new TreeDigester(undefined).digest(root, [out]), d0);
});

t.test('a single file and a missing source', async (t) => {
  const root = tree({ 'f.sh': 'echo 1' });
  const d0 = await digest(path.join(root, 'f.sh'));
  writeFileSync(path.join(root, 'f.sh'), 'echo 2');
  t.not(await digest(path.join(root, 'f.sh')), d0);
  t.equal(await digest(path.join(root, 'nope')), 'missing');
});

t.test('the stat cache: the second look reads only what changed, with the same digest', async (t) => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 50; i++) files[`d${i % 5}/f${i}.txt`] = `content ${i}`;
  const root = tree(files);
  const statDir = path.join(tempDir('stat'), 'stat');
  const cold = new TreeDigester(statDir, later);
  const d0 = await cold.digest(root);
  t.equal(cold.stats.hashed, 50, 'cold: every file read');
  const warm = new TreeDigester(statDir, later);
  t.equal(await warm.digest(root), d0);
  t.equal(warm.stats.hashed, 0, 'warm: no file read');
  writeFileSync(path.join(root, 'd1/f1.txt'), 'edited');
  const after = new TreeDigester(statDir, later);
  t.not(await after.digest(root), d0, 'the edit is seen');
  t.equal(after.stats.hashed, 1, 'only the edited file read');
  t.equal(
    await new TreeDigester(undefined).digest(root),
    await new TreeDigester(statDir, later).digest(root),
    'with and without the stat cache agree',
  );
});

t.test('an edit within the same second is never hidden by the stat cache', async (t) => {
  const root = tempDir('racy');
  writeFileSync(path.join(root, 'a.txt'), 'aaaa');
  const statDir = path.join(tempDir('stat'), 'stat');
  const d0 = await new TreeDigester(statDir).digest(root);
  writeFileSync(path.join(root, 'a.txt'), 'bbbb'); // same size, likely the same mtime tick
  t.not(await new TreeDigester(statDir).digest(root), d0);
});

t.test('a stat cache others can write is ignored', async (t) => {
  const { statSync } = await import('node:fs');
  const root = tree({ 'a.txt': 'one' });
  const statDir = path.join(tempDir('stat'), 'stat');
  const d0 = await new TreeDigester(statDir, later).digest(root);
  const [name] = readdirSync(statDir);
  const cacheFile = path.join(statDir, name!);
  const original = JSON.parse(readFileSync(cacheFile, 'utf8'));
  writeFileSync(path.join(root, 'a.txt'), 'two');
  utimesSync(path.join(root, 'a.txt'), HOUR_AGO, HOUR_AGO);
  /** Plants an entry claiming the changed a.txt still has the old content's hash. */
  const plant = (mode: number): void => {
    const s = statSync(path.join(root, 'a.txt'));
    const entries = { 'a.txt': [s.size, s.mtimeMs, s.ctimeMs, s.ino, original.entries['a.txt'][4]] };
    writeFileSync(cacheFile, JSON.stringify({ ...original, entries }));
    chmodSync(cacheFile, mode);
  };
  plant(0o600);
  t.equal(
    await new TreeDigester(statDir, later).digest(root),
    d0,
    'an entry of our own is believed (so trust matters)',
  );
  plant(0o666);
  t.not(await new TreeDigester(statDir, later).digest(root), d0, 'the same entry, writable by others, is not');
});
