/**
 * Shared by the hostile-input tables: run the CLI in-process (or the built binary, for what must be
 * proved on a real process) and check what every answer to bad input must look like.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Test } from 'tap';
import { cli, type CliResult as InProcessResult } from '../helpers/in-process-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

export { cli };
/** What a spawned CLI answered: `code` is null when a signal ended it. */
/** What the CLI answered, in-process or spawned: `code` is null when a signal ended a spawned one. */
export type CliResult = Omit<InProcessResult, 'code'> & { readonly code: number | null };

export const repo = path.resolve(import.meta.dirname, '../..');

/** The built CLI as a separate process (npm test builds dist/ first). */
export function spawnCli(argv: readonly string[], cwd: string, timeoutMs = 60_000): Promise<CliResult> {
  const bin = path.join(repo, 'dist', 'cli', 'bin.js');
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run npm run build first`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...argv], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own empty phase cache: a hostile case must run, never be answered by a stored result.
      env: { ...process.env, NODE_OPTIONS: '', TESTPLAN_CACHE_DIR: tempDir('phase-cache') },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A hostile case's expectation: the exit code and the words of the message. */
export interface Expect {
  readonly code: number;
  /** Each must match stdout + stderr. */
  readonly says: readonly (RegExp | string)[];
  /** None may match. */
  readonly never?: readonly (RegExp | string)[];
}

export function assertAnswer(t: Test, result: CliResult, expect: Expect): void {
  const out = `${result.stdout}${result.stderr}`;
  t.equal(result.code, expect.code, `exit ${expect.code}\n${out}`);
  for (const words of expect.says) t.match(out, words, `says ${String(words)}`);
  for (const words of expect.never ?? []) t.notMatch(out, words, `never says ${String(words)}`);
  t.notMatch(out, /^\s{4}at /m, 'no stack trace');
  t.notMatch(out, /internal error/, 'no internal error');
}

/** Runs `work` over `items` with at most `limit` at a time, keeping the order of the results. */
export async function pool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  });
  await Promise.all(lanes);
  return results;
}
