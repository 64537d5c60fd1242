/**
 * Figures for the Swarm driver on the swarm of scripts/swarm.sh (started here when needed): time to
 * bring the swarm up (when this call started it), a phase task's latency (replicated job `true`: create →
 * exit known → collect → release), a service's create → task running (the run's first one apart: it first
 * holds every node in the run's network, network-anchor.ts), and `cleanupRun`. Medians of ROUNDS.
 * Run (root): npx tsx bench/swarm.ts
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { hostname, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunIdentity, StepContext } from '../src/drivers/driver.js';
import { SwarmDriver } from '../src/drivers/swarm/swarm-driver.js';
import { median } from './run-overhead/measure.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rounds = Number(process.env['ROUNDS'] ?? 5);

const upStarted = performance.now();
const out = execFileSync('bash', [path.join(root, 'scripts/swarm.sh'), 'up'], { encoding: 'utf8' });
const upMs = performance.now() - upStarted;
const env = Object.fromEntries(
  out.split('\n').flatMap((l) => (/^[A-Z_]+=/.test(l) ? [l.split(/=(.*)/s).slice(0, 2)] : [])),
);
const driver = new SwarmDriver({ env: { ...process.env, ...env } });

const runId = `bench${randomBytes(4).toString('hex')}`;
const run: RunIdentity = {
  runId,
  plan: 'swarm-bench',
  labels: {
    'testplan.run': runId,
    'testplan.plan': 'swarm-bench',
    'testplan.pid': String(process.pid),
    'testplan.host': hostname(),
  },
  outDir: mkdtempSync(path.join(tmpdir(), 'swarm-bench-')),
};
const ctx: StepContext = { run, signal: new AbortController().signal, onLog: () => undefined };

try {
  await driver.createNetwork(run);
  const image = await driver.resolveImageRef('testplan-node:20', ctx);
  const phase: number[] = [];
  const toExit: number[] = [];
  const service: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    const outcome = await driver.runPhase(
      {
        name: `p${i}`,
        role: 'phase',
        attempt: 1,
        image,
        command: ['sh', '-c', 'echo x > /tmp/r'],
        env: {},
        mounts: [],
        sharedNamespace: false,
      },
      ctx,
    );
    toExit.push(performance.now() - t0);
    await driver.collect(outcome.handle, ['/tmp/r'], path.join(run.outDir, `p${i}`));
    await driver.releasePhase(outcome.handle);
    phase.push(performance.now() - t0);
    const s0 = performance.now();
    const svc = await driver.startService(
      { name: `s${i}`, image, command: ['sleep', '60'], env: {}, ports: [], sharedNamespace: false },
      ctx,
    );
    service.push(performance.now() - s0);
    await driver.stopService(svc);
  }
  const c0 = performance.now();
  await driver.cleanupRun(run);
  const cleanupMs = performance.now() - c0;
  const f = (ms: number) => `${Math.round(ms)} ms`;
  console.log(`swarm.sh up: ${f(upMs)}${upMs < 3000 ? ' (was already up)' : ''}`);
  console.log(`phase task create → exit known: ${f(median(toExit))} median of ${rounds}`);
  console.log(`phase task create → exit → collect → release: ${f(median(phase))} median of ${rounds}`);
  console.log(`first service of the run (anchor on every node, gossip settled) → task running: ${f(service[0] ?? 0)}`);
  console.log(`service create → task running: ${f(median(service.slice(1)))} median of ${rounds - 1}`);
  console.log(`cleanupRun (nothing left on any node): ${f(cleanupMs)}`);
  console.log(`load average: ${loadavg()[0]?.toFixed(1)}`);
} finally {
  await driver.cleanupRun(run);
}
