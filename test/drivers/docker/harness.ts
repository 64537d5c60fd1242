import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { Driver, ImageHandle, RunIdentity, RunPhaseRequest, StepContext } from '../../../src/drivers/driver.js';
import { DockerDriver } from '../../../src/drivers/docker/docker-driver.js';
import { connectEngine } from '../../../src/drivers/docker/connect.js';
import type { Engine } from '../../../src/drivers/docker/engine/engine.js';
import { LABEL } from '../../../src/drivers/docker/labels.js';
import { tempDir } from '../../helpers/temp-dir.js';
export { requireEngine } from '../../helpers/engine.js';

export const FIXTURES = resolve(import.meta.dirname, '../../../fixtures/docker');

export interface Teardown {
  teardown: (fn: () => unknown) => void;
}

/** The engine the tests' DOCKER_HOST (or the default) reaches, through the port. */
export function testEngine(): Engine {
  return connectEngine(process.env).engine;
}

export function newDriver(): DockerDriver {
  return new DockerDriver();
}

export function makeRun(
  t: Teardown,
  driver: Pick<Driver, 'cleanupRun'>,
  plan = 'driver-test',
  pid = process.pid,
): RunIdentity {
  const runId = `t${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const run: RunIdentity = {
    runId,
    plan,
    labels: { [LABEL.run]: runId, [LABEL.plan]: plan, [LABEL.pid]: String(pid), [LABEL.host]: hostname() },
    outDir: tempDir(runId),
  };
  t.teardown(() => driver.cleanupRun(run));
  return run;
}

export interface RecordedContext extends StepContext {
  readonly lines: { line: string; stream: 'stdout' | 'stderr' }[];
}

export function contextFor(run: RunIdentity, signal: AbortSignal = new AbortController().signal): RecordedContext {
  const lines: { line: string; stream: 'stdout' | 'stderr' }[] = [];
  return { run, signal, lines, onLog: (line, stream) => lines.push({ line, stream }) };
}

/** A phase named `unit` that runs `script` with sh in `image`. */
export function shPhase(image: ImageHandle, script: string, extra: Partial<RunPhaseRequest> = {}): RunPhaseRequest {
  return {
    name: 'unit',
    role: 'phase',
    attempt: 1,
    image,
    command: ['sh', '-c', script],
    env: {},
    mounts: [],
    sharedNamespace: false,
    ...extra,
  };
}

export type FixtureTarget = 'redis' | 'postgres' | 'client';

/** Builds a fixture target through the driver (cached by the engine after the first time). */
export function fixtureImage(driver: DockerDriver, run: RunIdentity, target: FixtureTarget): Promise<ImageHandle> {
  return driver.prepareImage(
    { kind: 'build', name: target, context: FIXTURES, dockerfile: 'Dockerfile', target, args: {} },
    contextFor(run),
  );
}

export interface LabelledCount {
  readonly containers: number;
  readonly networks: number;
  readonly volumes: number;
}

/** What the engine still holds for a run, asked through its API. */
export async function countLabelled(runId: string, engine = testEngine()): Promise<LabelledCount> {
  const selector = { [LABEL.run]: runId };
  const [containers, networks, volumes] = await Promise.all([
    engine.containers.list(selector),
    engine.networks.list(selector),
    engine.volumes.list(selector),
  ]);
  return { containers: containers.length, networks: networks.length, volumes: volumes.length };
}

export const PG_ENV = {
  POSTGRES_USER: 'test_user',
  POSTGRES_PASSWORD: 'test_password',
  POSTGRES_DB: 'app_test',
} as const;

/** What the postgres preset expands to: pg_isready over TCP, never the Unix socket. */
export const PG_READY = {
  kind: 'exec' as const,
  command: ['pg_isready', '-h', '127.0.0.1', '-U', 'test_user', '-d', 'app_test'],
  intervalMs: 50,
  timeoutMs: 30_000,
};

export const REDIS_READY = {
  kind: 'exec' as const,
  command: ['redis-cli', 'ping'],
  expect: 'PONG',
  intervalMs: 50,
  timeoutMs: 20_000,
};

/** A driver, a labelled run removed at teardown, a recording context, the run's network and one fixture image. */
export async function runWithImage(t: Teardown, target: FixtureTarget) {
  const driver = newDriver();
  const run = makeRun(t, driver);
  const ctx = contextFor(run);
  const image = await fixtureImage(driver, run, target);
  await driver.createNetwork(run);
  return { driver, run, ctx, image };
}
