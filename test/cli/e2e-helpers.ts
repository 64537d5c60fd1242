/**
 * End-to-end helpers: plans written to a temp folder, the built CLI spawned as a real process, and
 * the engine asked (by label) what a run left behind.
 */
import Dockerode from 'dockerode';
import type { Test } from 'tap';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RunResults } from '../../src/report/results.js';
export { requireEngine } from '../helpers/engine.js';
import { tempDir } from '../helpers/temp-dir.js';

export const REPO = resolve(import.meta.dirname, '../..');
export const BIN = join(REPO, 'dist/cli/bin.js');
export const DOCKER_FIXTURES = join(REPO, 'fixtures/docker');
export const E2E_FIXTURES = join(REPO, 'fixtures/e2e');

/** The fixture images every e2e plan builds (cached by the engine after the first build). */
export const FIXTURE_IMAGES = {
  redis: { build: { context: DOCKER_FIXTURES, target: 'redis' } },
  postgres: { build: { context: DOCKER_FIXTURES, target: 'postgres' } },
  client: { build: { context: DOCKER_FIXTURES, target: 'client' } },
} as const;

export { tempDir };

/** Writes a plan (JSON is YAML) into a fresh folder; returns the file. */
export function writePlan(plan: Record<string, unknown>, dir = tempDir('plan')): string {
  const file = join(dir, `${String(plan.name)}.plan.yaml`);
  writeFileSync(file, JSON.stringify(plan, null, 2));
  return file;
}

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

export interface CliOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Called once the process is spawned (to signal it mid-run). */
  readonly onSpawn?: (child: ChildProcess) => void;
  readonly timeoutMs?: number;
}

/** Runs `node dist/cli/bin.js …args` off a TTY and collects everything it printed. */
export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  const started = Date.now();
  const env = {
    ...process.env,
    CI: '',
    GITHUB_ACTIONS: '',
    GITHUB_STEP_SUMMARY: '',
    FORCE_COLOR: '0',
    // Each run its own empty phase cache: a phase another test (or an earlier `npm test`) passed is not restored here.
    TESTPLAN_CACHE_DIR: tempDir('phase-cache'),
    ...options.env,
  };
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? REPO,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  options.onSpawn?.(child);
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 180_000);
  return new Promise((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

export function readResults(outDir: string): RunResults {
  return JSON.parse(readFileSync(join(outDir, 'results.json'), 'utf8')) as RunResults;
}

export function readOut(outDir: string, file: string): string {
  return readFileSync(join(outDir, file), 'utf8');
}

/** The report's YAML front matter as raw text (between the first two `---` lines). */
/** Everything a run showed or wrote, by name: stdout, stderr and every output file (for "never appears" checks). */
export function everyOutput(
  out: string,
  res: { stdout: string; stderr: string },
  stepSummary: string,
): Record<string, string> {
  return {
    stdout: res.stdout,
    stderr: res.stderr,
    'run.log': readOut(out, 'run.log'),
    'results.json': readOut(out, 'results.json'),
    'report.md': readOut(out, 'report.md'),
    'junit.xml': readOut(out, 'junit.xml'),
    'step summary': readFileSync(stepSummary, 'utf8'),
  };
}

export function frontMatter(report: string): string {
  const match = /^---\n([\s\S]*?)\n---/.exec(report);
  return match?.[1] ?? '';
}

export interface LabelledCount {
  readonly containers: number;
  readonly networks: number;
  readonly volumes: number;
}

const docker = new Dockerode();

/** What the engine holds under one label (`testplan.run=…` or `testplan.plan=…`), stopped containers included. */
/** Resources carrying `label` (or every label of a list). */
export async function countLabelled(label: string | readonly string[]): Promise<LabelledCount> {
  const filters = JSON.stringify({ label: typeof label === 'string' ? [label] : label });
  const [containers, networks, volumes] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    docker.listVolumes({ filters }).then((r) => r.Volumes ?? []),
  ]);
  return { containers: containers.length, networks: networks.length, volumes: volumes.length };
}

export const NOTHING: LabelledCount = { containers: 0, networks: 0, volumes: 0 };

/** Asserts the engine holds nothing for the run (by its run id) nor for the plan. */
export async function assertNothingLeft(t: Test, results: { runId: string; plan: { name: string } }): Promise<void> {
  t.same(
    await countLabelled(`testplan.run=${results.runId}`),
    NOTHING,
    `nothing left labelled testplan.run=${results.runId}`,
  );
  t.same(
    await countLabelled(`testplan.plan=${results.plan.name}`),
    NOTHING,
    `nothing left labelled testplan.plan=${results.plan.name}`,
  );
}

/** A unique plan name so test files (and repeated runs) never share labels or image tags. */
export function planName(prefix: string): string {
  return `e2e-${prefix}`;
}

/** Resolves once `text` appears on the child's stderr (plain progress lines), or rejects after `ms`. */
export function waitForOutput(child: ChildProcess, pattern: RegExp, ms = 120_000): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`no ${pattern} on stderr within ${ms} ms:\n${seen}`)), ms);
    const onData = (d: Buffer): void => {
      seen += d.toString();
      if (pattern.test(seen)) {
        clearTimeout(timer);
        child.stderr?.off('data', onData);
        resolvePromise();
      }
    };
    child.stderr?.on('data', onData);
    child.on('close', () => {
      clearTimeout(timer);
      reject(new Error(`the process ended before ${pattern} appeared:\n${seen}`));
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
