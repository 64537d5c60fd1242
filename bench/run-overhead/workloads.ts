/**
 * The three ways the bench runs the same workload (Redis + readiness, then two sequential
 * one-shot phases), and the check that each left nothing behind on the engine.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { RunResults } from '../../src/report/results.js';
import { timeCommand, type Timed } from './measure.js';

export const IMAGES = { redis: 'testplan-bench/redis:latest', client: 'testplan-bench/client:latest' } as const;

const docker = (args: readonly string[]): string => execFileSync('docker', args, { encoding: 'utf8' }).trim();

/** Builds the two fixture tags when they are missing (the layer cache makes this quick). */
export function ensureImages(root: string): void {
  for (const [target, tag] of Object.entries(IMAGES)) {
    try {
      docker(['image', 'inspect', '--format', '{{.Id}}', tag]);
    } catch {
      console.log(`building ${tag} (fixtures/docker, target ${target}) …`);
      execFileSync('docker', ['build', '-q', '--target', target, '-t', tag, path.join(root, 'fixtures/docker')], {
        stdio: 'inherit',
      });
    }
  }
}

export interface PlanRun extends Timed {
  readonly results: RunResults;
  /** From Redis logging "Ready to accept connections" to the end of the wait-ready step. */
  readonly readyNoticeMs: number | undefined;
}

/** Redis stamps its log lines `25 Nov 2026 20:48:39.195` in the container's clock (UTC, same kernel). */
export function redisReadyAt(logTail: readonly string[]): number | undefined {
  const line = logTail.find((l) => l.includes('Ready to accept connections'));
  const m = line && /(\d{1,2}) (\w{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2})\.(\d{3})/.exec(line);
  if (!m) return undefined;
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].indexOf(m[2]!);
  return Date.UTC(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]), Number(m[7]));
}

export async function runPlan(root: string, cli: string, outDir: string): Promise<PlanRun> {
  const plan = path.join(root, 'bench/run-overhead/overhead.plan.ts');
  const timed = await timeCommand(process.execPath, [cli, 'run', plan, '--out', outDir], {
    cwd: root,
    sampleRss: true,
    // An empty phase cache per run: this bench measures running the workload, not restoring it.
    env: { ...process.env, TESTPLAN_CACHE_DIR: path.join(outDir, '.phase-cache') },
  });
  if (timed.exitCode !== 0) throw new Error(`plan run exited ${timed.exitCode}:\n${timed.output}`);
  const results = JSON.parse(readFileSync(path.join(outDir, 'results.json'), 'utf8')) as RunResults;
  const readyAt = redisReadyAt(results.services.find((s) => s.name === 'redis')?.logTail ?? []);
  const waitStep = results.steps.find((s) => s.id === 'wait-ready:redis');
  const noticedAt = waitStep?.finishedAt ? Date.parse(waitStep.finishedAt) : undefined;
  const readyNoticeMs = readyAt !== undefined && noticedAt !== undefined ? noticedAt - readyAt : undefined;
  return { ...timed, results, readyNoticeMs };
}

/** The workload's stages, in ms, comparable between the script and a plan run. */
export interface Stages {
  /** Process spawn → first engine step (the CLI's start-up, plan loading; bash start for the script). */
  readonly before: number;
  readonly network: number;
  readonly startRedis: number;
  readonly ready: number;
  readonly phasePing: number;
  readonly phaseSetget: number;
  readonly teardown: number;
  readonly after: number;
}
export const STAGE_NAMES: Record<keyof Stages, string> = {
  before: 'spawn → first engine step',
  network: 'create network',
  startRedis: 'start redis',
  ready: 'readiness',
  phasePing: 'phase ping',
  phaseSetget: 'phase setget',
  teardown: 'teardown (stop redis, remove network)',
  after: 'last engine call → process exit',
};

export interface ScriptRun extends Timed {
  readonly stages: Stages;
}

export async function runScript(root: string, marksFile: string): Promise<ScriptRun> {
  rmSync(marksFile, { force: true });
  const env = { ...process.env, BENCH_MARKS: marksFile };
  const timed = await timeCommand('bash', ['bench/run-overhead/script.sh'], { cwd: root, env });
  if (timed.exitCode !== 0) throw new Error(`script.sh exited ${timed.exitCode}:\n${timed.output}`);
  const m = readFileSync(marksFile, 'utf8').trim().split('\n').map(Number);
  if (m.length !== 7) throw new Error(`script.sh wrote ${m.length} marks, expected 7`);
  const d = (i: number) => m[i + 1]! - m[i]!;
  return {
    ...timed,
    stages: {
      before: m[0]! - timed.spawnedAt,
      after: timed.exitedAt - m[6]!,
      network: d(0),
      startRedis: d(1),
      ready: d(2),
      phasePing: d(3),
      phaseSetget: d(4),
      teardown: d(5),
    },
  };
}

/** The same stages cut from a plan run's step timestamps (the critical path through the graph). */
export function planStages(run: Timed & { readonly results: RunResults }): Stages {
  const { results } = run;
  const at = (id: string, edge: 'startedAt' | 'finishedAt'): number => {
    const value = results.steps.find((s) => s.id === id)?.[edge];
    if (!value) throw new Error(`results.json has no ${edge} for step ${id}`);
    return Date.parse(value);
  };
  return {
    before: at('create-network', 'startedAt') - run.spawnedAt,
    after: run.exitedAt - at('remove-network', 'finishedAt'),
    network: at('create-network', 'finishedAt') - at('create-network', 'startedAt'),
    startRedis: at('start-service:redis', 'finishedAt') - at('start-service:redis', 'startedAt'),
    ready: at('wait-ready:redis', 'finishedAt') - at('wait-ready:redis', 'startedAt'),
    phasePing: at('run-phase:setget', 'startedAt') - at('wait-ready:redis', 'finishedAt'),
    phaseSetget: at('stop-service:redis', 'startedAt') - at('run-phase:setget', 'startedAt'),
    teardown: at('remove-network', 'finishedAt') - at('stop-service:redis', 'startedAt'),
  };
}

/** `run --rm` each phase (compose starts redis and waits for healthy), then `down -v`, always. */
export async function runCompose(root: string, project: string): Promise<Timed> {
  const compose = ['-f', 'bench/run-overhead/compose.yml', '-p', project];
  const script =
    'set -e; trap \'docker-compose "$@" down -v --remove-orphans >/dev/null 2>&1\' EXIT; ' +
    'docker-compose "$@" run --rm ping; docker-compose "$@" run --rm setget';
  const timed = await timeCommand('bash', ['-c', script, 'compose', ...compose], { cwd: root });
  if (timed.exitCode !== 0) throw new Error(`docker-compose exited ${timed.exitCode}:\n${timed.output}`);
  return timed;
}

/** What a run left on the engine: containers, networks and volumes matching `filter`. */
export function leftovers(filter: string): string[] {
  return [
    ...docker(['ps', '-aq', '--filter', filter]).split('\n'),
    ...docker(['network', 'ls', '-q', '--filter', filter]).split('\n'),
    ...docker(['volume', 'ls', '-q', '--filter', filter]).split('\n'),
  ].filter((id) => id !== '');
}
