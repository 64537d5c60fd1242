/**
 * Content digest of a mounted 10,000-file tree (200 folders × 50 files, ~1 KB each, plus a 2,000-file
 * `node_modules` its .dockerignore leaves out): cold (no stat cache: every file read) and warm (the
 * per-user stat cache: stats only), then warm after one file changed. Medians of 5 rounds.
 * Run: `npx tsx bench/cache-key.ts`.
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { TreeDigester } from '../src/cache/tree-digest.js';

const ROUNDS = 5;
const FOLDERS = 200;
const PER_FOLDER = 50;

const root = mkdtempSync(join(tmpdir(), 'testplan-bench-cache-key-'));
const tree = join(root, 'tree');
const old = new Date(Date.now() - 3600_000);
const put = (file: string, content: string): void => {
  writeFileSync(file, content);
  utimesSync(file, old, old); // past the racy window, as files are in a real checkout
};
for (let d = 0; d < FOLDERS; d++) {
  mkdirSync(join(tree, `src/pkg${d}`), { recursive: true });
  for (let f = 0; f < PER_FOLDER; f++)
    put(join(tree, `src/pkg${d}/file${f}.ts`), `// ${d}/${f}\n${'x'.repeat(1000)}\n`);
}
mkdirSync(join(tree, 'node_modules/dep'), { recursive: true });
for (let f = 0; f < 2000; f++) put(join(tree, `node_modules/dep/m${f}.js`), 'module.exports = 1;\n');
put(join(tree, '.dockerignore'), 'node_modules\n');

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const time = async (f: () => Promise<unknown>): Promise<number> => {
  const t0 = performance.now();
  await f();
  return performance.now() - t0;
};

const cold: number[] = [];
const warm: number[] = [];
const changed: number[] = [];
let files = 0;
let hashedWarm = 0;
for (let r = 0; r < ROUNDS; r++) {
  const statDir = join(root, `stat-${r}`);
  const c = new TreeDigester(statDir);
  cold.push(await time(() => c.digest(tree)));
  files = c.stats.files;
  const w = new TreeDigester(statDir);
  warm.push(await time(() => w.digest(tree)));
  hashedWarm = w.stats.hashed;
  put(join(tree, 'src/pkg7/file7.ts'), `// changed in round ${r}\n`);
  const ch = new TreeDigester(statDir);
  changed.push(await time(() => ch.digest(tree)));
}
console.log(`mounted tree: ${files} files counted (${FOLDERS * PER_FOLDER} + .dockerignore; node_modules left out)`);
console.log(`cold (every file read):         ${median(cold).toFixed(1)} ms median`);
console.log(`warm (stat cache, ${hashedWarm} read):       ${median(warm).toFixed(1)} ms median`);
console.log(`warm, one file changed:         ${median(changed).toFixed(1)} ms median`);
rmSync(root, { recursive: true, force: true });
