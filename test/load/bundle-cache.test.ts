import t from 'tap';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadPlanModule } from '../../src/load/load-module.js';
import { tempDir } from '../helpers/temp-dir.js';

const planText = (name: string) =>
  `import { defineTestPlan } from 'testplan';\nimport { image } from './shared';\nexport default defineTestPlan({ name: '${name}', phases: { unit: { image, run: 'true' } } });\n`;

async function nameOf(file: string, cacheDir: string): Promise<string> {
  const loaded = await loadPlanModule(file, path.basename(file), {
    env: {},
    cacheDir,
    limits: { timeoutMs: 10_000, timeoutFlag: '--load-timeout' },
  });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  return (loaded.input as { name: string }).name;
}

t.test('a compiled plan is reused until the plan or anything it imports changes', async (t) => {
  const dir = tempDir('cache-plan');
  const cacheDir = tempDir('cache');
  const file = path.join(dir, 'demo.plan.ts');
  writeFileSync(path.join(dir, 'shared.ts'), `export const image = 'node:20';\n`);
  writeFileSync(file, planText('first'));
  t.equal(await nameOf(file, cacheDir), 'first');

  // Prove the second load reads the cache: tamper with the stored code and see it come back.
  const [entryName] = readdirSync(cacheDir);
  const entryPath = path.join(cacheDir, entryName!);
  const entry = JSON.parse(readFileSync(entryPath, 'utf8'));
  writeFileSync(entryPath, JSON.stringify({ ...entry, code: entry.code.replace(/(['"])first\1/, '"from-cache"') }));
  t.equal(await nameOf(file, cacheDir), 'from-cache');

  writeFileSync(file, planText('second'));
  t.equal(await nameOf(file, cacheDir), 'second', 'an edited plan is compiled again');

  const again = JSON.parse(readFileSync(entryPath, 'utf8'));
  writeFileSync(entryPath, JSON.stringify({ ...again, code: again.code.replace(/(['"])second\1/, '"stale"') }));
  writeFileSync(path.join(dir, 'shared.ts'), `export const image = 'node:22';\n`);
  t.equal(await nameOf(file, cacheDir), 'second', 'an edited import is compiled again, not served stale');
});

t.test('the cache is per user: XDG_CACHE_HOME or ~/.cache, never a shared temp folder', async (t) => {
  const { userCacheDir } = await import('../../src/load/bundle-cache.js');
  t.equal(userCacheDir({ XDG_CACHE_HOME: '/x/cache' }, '/home/u'), '/x/cache/testplan/plans');
  t.equal(userCacheDir({}, '/home/u'), '/home/u/.cache/testplan/plans');
  t.equal(
    userCacheDir({ XDG_CACHE_HOME: 'relative' }, '/home/u'),
    '/home/u/.cache/testplan/plans',
    'a relative XDG_CACHE_HOME is ignored (XDG spec)',
  );
});

t.test('a cache folder or entry that others can write is ignored, not imported', async (t) => {
  const { chmodSync, statSync } = await import('node:fs');
  const dir = tempDir('cache-plan');
  const cacheDir = path.join(tempDir('cache'), 'plans');
  const file = path.join(dir, 'demo.plan.ts');
  writeFileSync(path.join(dir, 'shared.ts'), `export const image = 'node:20';\n`);
  writeFileSync(file, planText('real'));
  t.equal(await nameOf(file, cacheDir), 'real');
  t.equal(statSync(cacheDir).mode & 0o777, 0o700, 'the cache folder is created 0700');
  const [entryName] = readdirSync(cacheDir);
  const entryPath = path.join(cacheDir, entryName!);
  t.equal(statSync(entryPath).mode & 0o777, 0o600, 'entries are 0600');
  const entry = JSON.parse(readFileSync(entryPath, 'utf8'));
  writeFileSync(entryPath, JSON.stringify({ ...entry, code: entry.code.replace(/(['"])real\1/, '"planted"') }));
  chmodSync(entryPath, 0o666);
  t.equal(await nameOf(file, cacheDir), 'real', 'a world-writable entry is not imported');
  const rewritten = JSON.parse(readFileSync(entryPath, 'utf8'));
  writeFileSync(entryPath, JSON.stringify({ ...rewritten, code: rewritten.code.replace(/(['"])real\1/, '"planted"') }));
  chmodSync(entryPath, 0o600);
  t.equal(await nameOf(file, cacheDir), 'planted', 'control: a private entry is used');
  chmodSync(cacheDir, 0o777);
  t.equal(await nameOf(file, cacheDir), 'real', 'an entry in a world-writable folder is not imported');
  chmodSync(cacheDir, 0o700);
  const { trusted } = await import('../../src/load/bundle-cache.js');
  t.notOk(
    trusted({ ...statSync(entryPath), uid: 12345, mode: 0o100600, isSymbolicLink: () => false } as never, 0),
    "another user's entry is not trusted",
  );
});
