/** Test temp folders: removed when the test file passed, kept when it failed; tests make none of their own. */
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { tempDir } from './temp-dir.js';

const HELPER = resolve(import.meta.dirname, 'temp-dir.ts');
const TEST_ROOT = resolve(import.meta.dirname, '..');

/** A node process that makes one folder through tempDir (under `root`), then ends as `ending` says. */
function childFolder(root: string, ending: string): { folder: string; status: number | null } {
  const script = `import { tempDir } from ${JSON.stringify(HELPER)};\nconsole.log(tempDir('child'));\n${ending}\n`;
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => key !== 'NODE_OPTIONS' && !/^_?TAP/.test(key)),
  );
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    env: { ...env, TMPDIR: root },
    encoding: 'utf8',
  });
  const folder = child.stdout.trim().split('\n')[0] ?? '';
  return { folder, status: child.status };
}

t.test('a process that ends well removes its folders; one that failed keeps them to be read', async (t) => {
  const root = tempDir('temp-dir-check');
  const passed = childFolder(root, '');
  t.equal(passed.status, 0);
  t.ok(passed.folder.startsWith(join(root, 'testplan-child-')), passed.folder);
  t.notOk(existsSync(passed.folder), 'removed after exit 0');

  const endings: [string, string][] = [
    ['exitCode 1', 'process.exitCode = 1;'],
    ['process.exit(1)', 'process.exit(1);'],
    ['an uncaught error', "throw new Error('boom');"],
  ];
  for (const [name, ending] of endings) {
    const failed = childFolder(root, ending);
    t.equal(failed.status, 1, name);
    t.ok(failed.folder.startsWith(join(root, 'testplan-child-')) && existsSync(failed.folder), `kept after ${name}`);
  }
});

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'fixtures' ? [] : sources(path);
    return /\.(ts|mjs|js)$/.test(entry.name) ? [path] : [];
  });
}

t.test('test code makes temp folders only through tempDir', async (t) => {
  // The daemon's data root is removed by its own stop(), with retries while the daemon lets go of it.
  const own = new Set(['helpers/temp-dir.ts', 'helpers/dockerd.ts', 'helpers/temp-dir.test.ts']);
  const offenders = sources(TEST_ROOT)
    .map((file) => relative(TEST_ROOT, file))
    .filter((file) => !own.has(file) && /\bmkdtemp(Sync)?\(/.test(readFileSync(join(TEST_ROOT, file), 'utf8')));
  t.same(offenders, [], 'these call mkdtemp directly: use tempDir from test/helpers/temp-dir.ts');
});
