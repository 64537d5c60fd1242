/**
 * How soon things are noticed: the figures the functional tests no longer assert (no timed
 * assertions in tests). On the Docker driver: readiness after the service could answer (exec and
 * tcp probes), a service's exit during the wait, readiness and phase timeouts (overshoot past the
 * limit), a phase abort. On the CLI: SIGINT → exit 130, and how long two 2 s phases overlap with
 * --concurrency 2. Medians of ROUNDS rounds (default 5).
 * Run: npm run build && npx tsx bench/driver-latency.ts
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DockerDriver } from '../src/drivers/docker/docker-driver.js';
import { connectEngine } from '../src/drivers/docker/connect.js';
import type { ImageHandle, RunIdentity, StartServiceRequest, StepContext } from '../src/drivers/driver.js';
import type { RunResults } from '../src/report/results.js';
import { median } from './run-overhead/measure.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = path.join(root, 'fixtures/docker');
const cli = path.join(root, 'dist/cli/bin.js');
const rounds = Number(process.env['ROUNDS'] ?? 5);
const engine = connectEngine().engine;

function newRun(): { run: RunIdentity; ctx: StepContext } {
  const runId = `bench${randomBytes(4).toString('hex')}`;
  const run: RunIdentity = {
    runId,
    plan: 'driver-latency',
    labels: {
      'testplan.run': runId,
      'testplan.plan': 'driver-latency',
      'testplan.pid': String(process.pid),
      'testplan.host': hostname(),
    },
    outDir: mkdtempSync(path.join(tmpdir(), 'driver-latency-')),
  };
  return { run, ctx: { run, signal: new AbortController().signal, onLog: () => undefined } };
}

function service(name: string, image: ImageHandle, script: string, ports: number[] = []): StartServiceRequest {
  return { name, image, command: ['sh', '-c', script], env: {}, ports, sharedNamespace: false };
}

/** Container clock, ms: `date +%s%3N` written by the container. */
async function readMs(id: string, file: string): Promise<number> {
  return Number((await engine.exec.run(id, ['cat', file])).output.trim());
}

function redisReadyAt(lines: readonly string[]): number {
  for (const line of lines) {
    const m = /(\d{1,2} \w{3} \d{4} \d{2}:\d{2}:\d{2})\.(\d{3}) \* Ready to accept connections/.exec(line);
    if (m?.[1] && m[2]) return Date.parse(`${m[1]} UTC`) + Number(m[2]);
  }
  throw new Error('redis did not log "Ready to accept connections"');
}

function finishedAt(id: string): number {
  const iso = execFileSync('docker', ['inspect', '--format', '{{.State.FinishedAt}}', id], { encoding: 'utf8' }).trim();
  return Date.parse(iso.replace(/(\.\d{3})\d*Z$/, '$1Z'));
}

type Figures = Record<string, number>;

async function driverRound(
  driver: DockerDriver,
  images: { redis: ImageHandle; client: ImageHandle },
): Promise<Figures> {
  const { run, ctx } = newRun();
  await driver.createNetwork(run);
  try {
    const f: Figures = {};
    const redis = await driver.startService(
      service('redis', images.redis, 'sleep 0.7; exec redis-server --save "" --appendonly no', [6379]),
      ctx,
    );
    await driver.waitReady(
      redis,
      { kind: 'exec', command: ['redis-cli', 'ping'], expect: 'PONG', intervalMs: 50, timeoutMs: 20_000 },
      ctx,
    );
    f['exec probe (redis-cli ping) after Redis is ready'] =
      Date.now() - redisReadyAt(await driver.serviceLogTail(redis, 50));

    const flag = await driver.startService(
      service('flag', images.client, 'sleep 0.7; touch /tmp/go; exec sleep infinity'),
      ctx,
    );
    await driver.waitReady(
      flag,
      {
        kind: 'exec',
        command: ['sh', '-c', 'test -e /tmp/go && date +%s%3N > /tmp/ok-at'],
        intervalMs: 50,
        timeoutMs: 10_000,
      },
      ctx,
    );
    f['exec probe: ready after the probe command passed'] = Date.now() - (await readMs(flag.id, '/tmp/ok-at'));

    const listener = await driver.startService(
      service('listener', images.client, 'sleep 0.7; date +%s%3N > /tmp/at; exec nc -lk 7001', [7001]),
      ctx,
    );
    await driver.waitReady(listener, { kind: 'tcp', port: 7001, intervalMs: 50, timeoutMs: 10_000 }, ctx);
    f['tcp probe: ready after the listener started'] = Date.now() - (await readMs(listener.id, '/tmp/at'));

    const crashing = await driver.startService(service('crashing', images.client, 'sleep 0.5; exit 3'), ctx);
    const exited = await driver.waitReady(
      crashing,
      { kind: 'exec', command: ['false'], intervalMs: 50, timeoutMs: 20_000 },
      ctx,
    );
    if (exited.ready || exited.reason !== 'exited') throw new Error(`expected an exit, got ${JSON.stringify(exited)}`);
    f['a service exit ends the readiness wait after'] = Date.now() - finishedAt(crashing.id);

    const stuck = await driver.startService(service('stuck', images.client, 'exec sleep infinity'), ctx);
    const timedOut = await driver.waitReady(
      stuck,
      { kind: 'exec', command: ['false'], intervalMs: 50, timeoutMs: 1000 },
      ctx,
    );
    f['readiness timeout 1 s: overshoot'] = timedOut.elapsedMs - 1000;

    const phase = {
      role: 'phase' as const,
      attempt: 1,
      image: images.client,
      env: {},
      mounts: [],
      sharedNamespace: false,
    };
    const slow = await driver.runPhase({ ...phase, name: 'slow', command: ['sleep', '60'], timeoutMs: 1000 }, ctx);
    f['phase timeout 1 s: overshoot'] = slow.durationMs - 1000;
    await driver.releasePhase(slow.handle);

    const controller = new AbortController();
    let started = (): void => undefined;
    const running = new Promise<void>((resolve) => (started = resolve));
    const pending = driver.runPhase(
      { ...phase, name: 'aborted', command: ['sh', '-c', 'echo started; exec sleep 60'] },
      { ...ctx, signal: controller.signal, onLog: (line) => line === 'started' && started() },
    );
    await running;
    const abortedAt = performance.now();
    controller.abort();
    const aborted = await pending;
    f['phase abort → outcome'] = performance.now() - abortedAt;
    await driver.releasePhase(aborted.handle);
    return f;
  } finally {
    await driver.cleanupRun(run);
    rmSync(run.outDir, { recursive: true, force: true });
  }
}

const images = {
  redis: { build: { context: fixtures, target: 'redis' } },
  client: { build: { context: fixtures, target: 'client' } },
};

function writePlan(dir: string, plan: Record<string, unknown>): string {
  const file = path.join(dir, `${String(plan['name'])}.plan.yaml`);
  writeFileSync(file, JSON.stringify(plan, null, 2));
  return file;
}

/** SIGINT once the phase prints, then the time until the CLI exits (130). */
function signalToExit(dir: string): Promise<number> {
  const plan = writePlan(dir, {
    name: 'bench-signal',
    images,
    phases: { sleeper: { image: 'client', run: 'echo sleeping-now; sleep 60' } },
  });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'run', plan, '--verbose', '--out', path.join(dir, 'out-signal')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let signalledAt = 0;
    let seen = '';
    const watch = (d: Buffer) => {
      seen += d.toString();
      if (!signalledAt && seen.includes('sleeping-now')) {
        signalledAt = performance.now();
        child.kill('SIGINT');
      }
    };
    child.stdout.on('data', watch);
    child.stderr.on('data', watch);
    child.on('exit', (code) =>
      code === 130 && signalledAt
        ? resolve(performance.now() - signalledAt)
        : reject(new Error(`exit ${code}: ${seen.slice(-500)}`)),
    );
  });
}

/** Two `sleep 2` phases with --concurrency 2: how long their steps overlap (ideally 2 s). */
function parallelOverlap(dir: string): number {
  const plan = writePlan(dir, {
    name: 'bench-parallel',
    images: { client: images.client },
    phases: { left: { image: 'client', run: 'sleep 2' }, right: { image: 'client', run: 'sleep 2' } },
  });
  const out = path.join(dir, 'out-parallel');
  execFileSync(process.execPath, [cli, 'run', plan, '--concurrency', '2', '--out', out], { stdio: 'pipe' });
  const results = JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8')) as RunResults;
  const span = (id: string) => {
    const s = results.steps.find((x) => x.id === id);
    return [Date.parse(s?.startedAt ?? ''), Date.parse(s?.finishedAt ?? '')] as const;
  };
  const [l, r] = [span('run-phase:left'), span('run-phase:right')];
  return Math.min(l[1], r[1]) - Math.max(l[0], r[0]);
}

async function main(): Promise<void> {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first.`);
  const driver = new DockerDriver();
  const { ctx } = newRun();
  const build = (target: 'redis' | 'client') =>
    driver.prepareImage(
      { kind: 'build', name: target, context: fixtures, dockerfile: 'Dockerfile', target, args: {} },
      ctx,
    );
  const fixtureImages = { redis: await build('redis'), client: await build('client') };
  const tmp = mkdtempSync(path.join(tmpdir(), 'driver-latency-'));
  const all: Figures[] = [];
  try {
    await driverRound(driver, fixtureImages); // warm-up
    for (let i = 0; i < rounds; i++) {
      const f = await driverRound(driver, fixtureImages);
      f['CLI: SIGINT → exit 130'] = await signalToExit(tmp);
      f['CLI: overlap of two 2 s phases, --concurrency 2'] = parallelOverlap(tmp);
      all.push(f);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  console.log(`\ndriver and CLI latencies — medians of ${rounds} rounds (load average ${loadavg()[0]!.toFixed(1)})`);
  for (const key of Object.keys(all[0] ?? {})) {
    const xs = all.map((f) => f[key]!);
    console.log(
      `${key.padEnd(52)}${`${Math.round(median(xs))} ms`.padStart(9)}   (min ${Math.round(Math.min(...xs))}, max ${Math.round(Math.max(...xs))})`,
    );
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exitCode = 1;
});
