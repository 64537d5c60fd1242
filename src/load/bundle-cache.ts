/**
 * Keeps a plan's compiled bundle between runs, so a plan that did not change loads without starting
 * esbuild (~90 ms of every `plan run`). An entry is used only while every file that went into it
 * (the plan, what it imports, testplan's own entry point) has the same size and mtime.
 *
 * The cached code is imported as it is, so the cache is the user's own: `$XDG_CACHE_HOME/testplan/plans`
 * (or `~/.cache/testplan/plans`), created with mode 0700. A folder or entry owned by someone else, or
 * writable by group or others, is ignored (the plan is compiled afresh), never trusted.
 */
import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import { chmod, lstat, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface CachedBundle {
  readonly code: string;
  readonly packages: readonly string[];
}

interface Entry extends CachedBundle {
  readonly inputs: readonly { readonly path: string; readonly size: number; readonly mtimeMs: number }[];
}

export function userCacheDir(env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string {
  const base =
    env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(home, '.cache');
  return path.join(base, 'testplan', 'plans');
}

export const DEFAULT_CACHE_DIR = userCacheDir();

/** Only what this user alone can write may be imported. */
export function trusted(s: Stats, uid = process.getuid?.()): boolean {
  if (uid !== undefined && s.uid !== uid) return false;
  return (s.mode & 0o022) === 0 && !s.isSymbolicLink();
}

async function trustedPath(p: string): Promise<boolean> {
  const s = await lstat(p).catch(() => undefined);
  return s !== undefined && trusted(s);
}

const entryFile = (dir: string, file: string, salt: string): string =>
  path.join(dir, `${createHash('sha256').update(`${file}\0${salt}`).digest('hex').slice(0, 32)}.json`);

async function unchanged(input: Entry['inputs'][number]): Promise<boolean> {
  const s = await stat(input.path).catch(() => undefined);
  return s !== undefined && s.size === input.size && s.mtimeMs === input.mtimeMs;
}

export async function readBundle(dir: string, file: string, salt: string): Promise<CachedBundle | undefined> {
  try {
    const target = entryFile(dir, file, salt);
    if (!(await trustedPath(dir)) || !(await trustedPath(target))) return undefined;
    const entry = JSON.parse(await readFile(target, 'utf8')) as Entry;
    const fresh = await Promise.all(entry.inputs.map(unchanged));
    return fresh.every(Boolean) ? { code: entry.code, packages: entry.packages } : undefined;
  } catch {
    return undefined;
  }
}

/** Best effort: a cache that cannot be written is no reason to fail a run. */
export async function writeBundle(
  dir: string,
  file: string,
  salt: string,
  bundle: CachedBundle,
  inputs: readonly string[],
): Promise<void> {
  try {
    const stats = await Promise.all(
      inputs.map(async (p) => ({ path: p, ...(({ size, mtimeMs }) => ({ size, mtimeMs }))(await stat(p)) })),
    );
    const created = await mkdir(dir, { recursive: true, mode: 0o700 });
    if (created !== undefined) await chmod(dir, 0o700); // mkdir's mode is filtered by the umask
    if (!(await trustedPath(dir))) return;
    const target = entryFile(dir, file, salt);
    const temp = `${target}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify({ ...bundle, inputs: stats } satisfies Entry), { mode: 0o600, flag: 'wx' });
    await rename(temp, target);
  } catch {
    // ignore
  }
}
