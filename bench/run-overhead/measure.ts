/** Process timing and memory sampling for the run-overhead bench. */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

export interface Timed {
  readonly wallMs: number;
  /** Epoch ms of the spawn and of the exit, to place a run's own timestamps in the process's life. */
  readonly spawnedAt: number;
  readonly exitedAt: number;
  readonly exitCode: number | null;
  readonly output: string;
  /** Peak resident memory of the spawned process itself (VmHWM), in MB; 0 when not sampled. */
  readonly peakRssMb: number;
  /** Largest sum of VmRSS over the process and its descendants seen while sampling, in MB. */
  readonly peakTreeRssMb: number;
}

const statusField = (pid: number, field: string): number => {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0; // the process is gone
  }
};

const childPids = (pid: number): number[] => {
  try {
    const tasks = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    const direct = tasks === '' ? [] : tasks.split(/\s+/).map(Number);
    return direct.flatMap((child) => [child, ...childPids(child)]);
  } catch {
    return [];
  }
};

/** Runs a command to completion, timing it; with `sampleRss`, polls /proc every 20 ms. */
export function timeCommand(
  command: string,
  args: readonly string[],
  options: { cwd: string; sampleRss?: boolean; env?: NodeJS.ProcessEnv },
): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const spawnedAt = Date.now();
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    let peakRssMb = 0;
    let peakTreeRssMb = 0;
    const sample = (): void => {
      const pid = child.pid;
      if (pid === undefined) return;
      peakRssMb = Math.max(peakRssMb, statusField(pid, 'VmHWM'));
      const tree = [pid, ...childPids(pid)].reduce((sum, p) => sum + statusField(p, 'VmRSS'), 0);
      peakTreeRssMb = Math.max(peakTreeRssMb, tree);
    };
    const sampler = options.sampleRss ? setInterval(sample, 20) : undefined;
    child.on('error', reject);
    // 'exit' (not 'close'): the moment the process ends, before its pipes are drained.
    child.on('exit', (code) => {
      const wallMs = performance.now() - started;
      const exitedAt = Date.now();
      if (sampler) clearInterval(sampler);
      child.on('close', () =>
        resolve({ wallMs, spawnedAt, exitedAt, exitCode: code, output, peakRssMb, peakTreeRssMb }),
      );
    });
  });
}

export const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
