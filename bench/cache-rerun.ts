/**
 * The second run of an unchanged plan, whole `plan run` process (node start, plan load, engine check,
 * image builds answered from the layer cache, keys, restore, reports): Redis + 3 phases on the fixture
 * images, one phase needing another, mounts of this repository's `src/` and two small folders. One run
 * to fill the cache, then 5 timed re-runs; every phase must come from the cache. Target ≤ 1 s.
 * Needs Docker and `npm run build`. Run: `npx tsx bench/cache-rerun.ts`.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { RunResults } from '../src/report/results.js';

const REPO = resolve(import.meta.dirname, '..');
const BIN = join(REPO, 'dist/cli/bin.js');
const ROUNDS = 5;
const dir = mkdtempSync(join(tmpdir(), 'testplan-bench-rerun-'));
for (const [sub, file, text] of [
  ['a', 'a.txt', 'one'],
  ['b', 'b.txt', 'two'],
] as const) {
  mkdirSync(join(dir, sub));
  writeFileSync(join(dir, sub, file), `${text}\n`);
}
cpSync(join(REPO, 'fixtures/e2e/junit.sh'), join(dir, 'junit.sh'));
const fixtures = join(REPO, 'fixtures/docker');
const mounts = (src: string) => [
  { source: src, target: '/src', readOnly: true },
  { source: join(REPO, 'src'), target: '/repo-src', readOnly: true },
  { source: './junit.sh', target: '/junit.sh', readOnly: true },
];
const junit = (phase: string, name: string, check: string) => `sh /junit.sh /out/j.xml ${phase} '${name}' '${check}'`;
const plan = {
  name: 'bench-cache-rerun',
  images: {
    client: { build: { context: fixtures, target: 'client' } },
    redis: { build: { context: fixtures, target: 'redis' } },
  },
  services: { redis: { image: 'redis', ready: { preset: 'redis' } } },
  phases: {
    first: {
      image: 'client',
      mounts: mounts('./a'),
      run: junit('first', 'reads a', 'grep -q one /src/a.txt'),
      results: { junit: '/out/j.xml' },
    },
    second: {
      image: 'client',
      needs: ['first'],
      services: ['redis'],
      mounts: mounts('./b'),
      run: junit('second', 'pings', 'redis-cli -h ${redis.host} -p ${redis.port} ping'),
      results: { junit: '/out/j.xml' },
    },
    third: {
      image: 'client',
      mounts: mounts('./b'),
      run: junit('third', 'reads b', 'grep -q two /src/b.txt'),
      results: { junit: '/out/j.xml' },
    },
  },
  gates: { tests: { failed: 0, minExecuted: 3 } },
};
const file = join(dir, 'bench.plan.yaml');
writeFileSync(file, JSON.stringify(plan));
const cacheDir = join(dir, 'cache');

function run(out: string): { ms: number; results: RunResults } {
  const t0 = performance.now();
  const res = spawnSync(
    process.execPath,
    [BIN, 'run', file, '--out', out, '--cache-dir', cacheDir, '--reporter', 'plain'],
    {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, CI: '', GITHUB_ACTIONS: '' },
    },
  );
  const ms = performance.now() - t0;
  if (res.status !== 0) throw new Error(`plan run exited ${res.status}:\n${res.stdout}\n${res.stderr}`);
  return { ms, results: JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as RunResults };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fill = run(join(dir, 'out-0'));
console.log(`first run (fills the cache): ${fill.ms.toFixed(0)} ms`);
const times: number[] = [];
const builds: number[] = [];
const inside: number[] = [];
for (let r = 1; r <= ROUNDS; r++) {
  const { ms, results } = run(join(dir, `out-${r}`));
  const missed = results.phases.filter((p) => p.cache?.status !== 'hit').map((p) => p.name);
  if (missed.length) throw new Error(`not from the cache: ${missed.join(', ')}`);
  times.push(ms);
  inside.push(results.durationMs);
  builds.push(Math.max(...results.steps.filter((s) => s.kind === 'build-image').map((s) => s.durationMs ?? 0)));
}
console.log(
  `second run, whole plan run (every phase cached, 0 containers): ${median(times).toFixed(0)} ms median of ${ROUNDS} (${times.map((t) => t.toFixed(0)).join(', ')}); target ≤ 1000 ms`,
);
console.log(
  `  of which the run itself (results.json durationMs: engine check to results): ${median(inside).toFixed(0)} ms median`,
);
console.log(`  of which the slowest image build answered from the layer cache: ${median(builds).toFixed(0)} ms median`);
console.log(
  `  load average: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
rmSync(dir, { recursive: true, force: true });
