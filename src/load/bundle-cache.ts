/**
 * Keeps a plan's compiled bundle between runs, so a plan that did not change loads without starting
 * esbuild (~90 ms of every `plan run`). An entry is used only while every file that went into it
 * (the plan, what it imports, testplan's own entry point) has the same size and mtime.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface CachedBundle {
  readonly code: string;
  readonly packages: readonly string[];
}

interface Entry extends CachedBundle {
  readonly inputs: readonly { readonly path: string; readonly size: number; readonly mtimeMs: number }[];
}

export const DEFAULT_CACHE_DIR = path.join(os.tmpdir(), 'testplan-plan-cache');

const entryFile = (dir: string, file: string, salt: string): string =>
  path.join(dir, `${createHash('sha256').update(`${file}\0${salt}`).digest('hex').slice(0, 32)}.json`);

async function unchanged(input: Entry['inputs'][number]): Promise<boolean> {
  const s = await stat(input.path).catch(() => undefined);
  return s !== undefined && s.size === input.size && s.mtimeMs === input.mtimeMs;
}

export async function readBundle(dir: string, file: string, salt: string): Promise<CachedBundle | undefined> {
  try {
    const entry = JSON.parse(await readFile(entryFile(dir, file, salt), 'utf8')) as Entry;
    const fresh = await Promise.all(entry.inputs.map(unchanged));
    return fresh.every(Boolean) ? { code: entry.code, packages: entry.packages } : undefined;
  } catch {
    return undefined;
  }
}

/** Best effort: a cache that cannot be written is no reason to fail a run. */
export async function writeBundle(dir: string, file: string, salt: string, bundle: CachedBundle, inputs: readonly string[]): Promise<void> {
  try {
    const stats = await Promise.all(inputs.map(async (p) => ({ path: p, ...(({ size, mtimeMs }) => ({ size, mtimeMs }))(await stat(p)) })));
    await mkdir(dir, { recursive: true });
    const target = entryFile(dir, file, salt);
    const temp = `${target}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify({ ...bundle, inputs: stats } satisfies Entry));
    await rename(temp, target);
  } catch {
    // ignore
  }
}
