/** Shared pieces of the local driver's real-process tests. */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StepContext } from '../../../src/drivers/driver.js';

export { tempDir } from '../../helpers/temp-dir.js';

export const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/local');
export const NODE = process.execPath;

export interface RecordingContext extends StepContext {
  readonly lines: string[];
  readonly abort: AbortController;
}

/**
 * The environment of a user's shell: tap's loaders in NODE_OPTIONS would otherwise be inherited by
 * every fixture process, instrument it and slow its start by a second.
 */
export function userEnv(): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(process.env).filter(([key]) => key !== 'NODE_OPTIONS' && !/^_?TAP/.test(key)),
  );
}

let counter = 0;
export function stepContext(runId = `run-${process.pid}-${++counter}`): RecordingContext {
  const abort = new AbortController();
  const lines: string[] = [];
  return {
    run: { runId, plan: 'local-test', labels: {}, outDir: tmpdir() },
    signal: abort.signal,
    onLog: (line) => lines.push(line),
    lines,
    abort,
  };
}

/** False when the process is gone or only a zombie is left (PID 1 here may not reap orphans). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

export async function eventually(check: () => boolean, timeoutMs = 3000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return check();
}

/** Probe timing for tests: quick polls, a timeout well above the fixtures' start time. */
export const TIMING = { intervalMs: 25, timeoutMs: 5000 } as const;

export const serverCommand = (mode: string, port = '${port}'): string =>
  `exec '${NODE}' '${join(FIXTURES, 'server.mjs')}' ${mode} ${port}`;
