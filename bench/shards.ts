/**
 * Sharded phases (issue 13's first bar): a 1,000-test node:test suite whose tests each await a Redis
 * round trip and a timer (fixtures/shard-suite), run by `plan run` unsharded and sharded 4 ways, each
 * shard with its own Redis. One warm-up round (image build, and the first sharded run, which splits by
 * size and leaves per-file times), then ROUNDS rounds taking turns. Prints wall times, medians, the
 * ratio (target ≤ 0.6), the test counts (must be identical), merged line coverage (must be identical),
 * the shards' balance and the machine's load average.
 * Run: npm run build && npx tsx bench/shards.ts   (ROUNDS=n to change the 3)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunResults } from '../src/report/results.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist/cli/bin.js');
const rounds = Number(process.env['ROUNDS'] ?? 3);
const SHARDS = 4;

function plan(name: string, sharded: boolean): Record<string, unknown> {
  const files = sharded ? '$TESTPLAN_SHARD_FILES' : 'test/*.test.mjs';
  return {
    name,
    images: {
      suite: { build: { context: path.join(root, 'fixtures/shard-suite') } },
      redis: { build: { context: path.join(root, 'fixtures/docker'), target: 'redis' } },
    },
    services: { redis: { image: 'redis', ready: { preset: 'redis' } } },
    phases: {
      tests: {
        image: 'suite',
        services: ['redis'],
        env: { REDIS_HOST: '${redis.host}', REDIS_PORT: '${redis.port}' },
        run:
          'npx c8 --reporter=lcov --report-dir=/out/cov node --test-reporter=junit ' +
          `--test-reporter-destination=/out/junit.xml run-tests.mjs ${files}`,
        results: { junit: '/out/junit.xml' },
        coverage: { format: 'lcov', path: '/out/cov/lcov.info', pathMap: { '/suite/': '' } },
        timeout: '10m',
        ...(sharded ? { shard: { count: SHARDS, files: 'test/*.test.mjs' } } : {}),
      },
    },
  };
}

interface Measured {
  readonly wallMs: number;
  readonly results: RunResults;
}

function runOnce(planFile: string, outDir: string): Measured {
  const started = performance.now();
  const res = spawnSync(
    process.execPath,
    [cli, 'run', planFile, '--out', outDir, '--concurrency', String(SHARDS), '--reporter', 'plain'],
    {
      encoding: 'utf8',
      env: { ...process.env, CI: '', GITHUB_ACTIONS: '' },
    },
  );
  const wallMs = performance.now() - started;
  if (res.status !== 0) throw new Error(`plan run ${planFile} exited ${res.status}:\n${res.stderr.slice(-3000)}`);
  return { wallMs, results: JSON.parse(readFileSync(path.join(outDir, 'results.json'), 'utf8')) as RunResults };
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const load = (): string =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

function describe(m: Measured): string {
  const phase = m.results.phases[0]!;
  const c = phase.counts;
  const lines = m.results.coverage?.lines;
  const shards = phase.shards;
  const balance = shards
    ? (() => {
        const times = shards.list.map((s) => s.durationMs);
        return ` | ${shards.list.length} shards by ${shards.split}: ${times.map(secs).join(', ')} (slowest/fastest ×${(Math.max(...times) / Math.min(...times)).toFixed(2)})`;
      })()
    : '';
  return `${secs(m.wallMs)} | tests ${c?.total} (${c?.passed} passed) | lines ${lines?.covered}/${lines?.total}${balance}`;
}

function main(): void {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first.`);
  execFileSync('docker', ['info', '--format', '{{.ServerVersion}}'], { stdio: 'pipe' });
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'testplan-bench-shards-'));
  const files = {
    whole: path.join(tmp, 'bench-shards-whole.plan.yaml'),
    sharded: path.join(tmp, 'bench-shards-4.plan.yaml'),
  };
  writeFileSync(files.whole, JSON.stringify(plan('bench-shards-whole', false), null, 2));
  writeFileSync(files.sharded, JSON.stringify(plan('bench-shards-4', true), null, 2));
  // Each variant's runs share a parent folder: the sharded ones find the last run's per-file times there.
  const outs = { whole: path.join(tmp, 'whole'), sharded: path.join(tmp, 'sharded') };
  mkdirSync(outs.whole);
  mkdirSync(outs.sharded);

  console.log(`machine: ${os.availableParallelism()} cores, load average ${load()} (1, 5, 15 min)`);
  console.log('warm-up (builds, first split by size):');
  console.log(`  unsharded: ${describe(runOnce(files.whole, path.join(outs.whole, 'warm')))}`);
  console.log(`  sharded:   ${describe(runOnce(files.sharded, path.join(outs.sharded, 'warm')))}`);

  const whole: Measured[] = [];
  const sharded: Measured[] = [];
  for (let r = 1; r <= rounds; r++) {
    const a = runOnce(files.whole, path.join(outs.whole, `r${r}`));
    const b = runOnce(files.sharded, path.join(outs.sharded, `r${r}`));
    whole.push(a);
    sharded.push(b);
    console.log(`round ${r} (load ${load()}):`);
    console.log(`  unsharded: ${describe(a)}`);
    console.log(`  sharded:   ${describe(b)}`);
  }
  const w = median(whole.map((m) => m.wallMs));
  const s = median(sharded.map((m) => m.wallMs));
  const counts = new Set([...whole, ...sharded].map((m) => JSON.stringify(m.results.phases[0]!.counts)));
  const coverage = new Set([...whole, ...sharded].map((m) => JSON.stringify(m.results.coverage?.lines)));
  console.log('');
  console.log(
    `median wall: unsharded ${secs(w)}, sharded ×${SHARDS} ${secs(s)}: ratio ${(s / w).toFixed(2)} (target ≤ 0.60)`,
  );
  console.log(`test counts identical in every run: ${counts.size === 1 ? 'yes' : 'NO'} ${[...counts].join(' | ')}`);
  console.log(
    `merged line coverage identical in every run: ${coverage.size === 1 ? 'yes' : 'NO'} ${[...coverage].join(' | ')}`,
  );
  console.log(`load average at the end: ${load()}`);
}

main();
