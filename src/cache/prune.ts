/**
 * Keeps the local cache bounded: entries unused for longer than `maxAgeMs` go, then the least recently
 * used until the rest fits in `maxBytes`. Left-over temp folders of killed writes go after an hour.
 * Entries this user does not own are left alone (and never served).
 */
import { lstat, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { trusted } from '../load/bundle-cache.js';
import { TEMP_PREFIX } from './local-store.js';
import { isKey } from './store.js';

export const DEFAULT_MAX_BYTES = 2 * 1024 ** 3;
export const DEFAULT_MAX_AGE_MS = 14 * 24 * 3600 * 1000;
const TEMP_MAX_AGE_MS = 3600 * 1000;

export interface PruneLimits {
  readonly maxBytes: number;
  readonly maxAgeMs: number;
  readonly now?: number;
}

export interface PruneOutcome {
  readonly removed: number;
  readonly removedBytes: number;
  readonly kept: number;
  readonly keptBytes: number;
}

interface Found {
  readonly dir: string;
  readonly bytes: number;
  readonly usedMs: number;
}

async function sizeOf(dir: string): Promise<number> {
  const names = await readdir(dir).catch(() => []);
  const sizes = await Promise.all(
    names.map(async (n) => (await lstat(path.join(dir, n)).catch(() => undefined))?.size ?? 0),
  );
  return sizes.reduce((a, b) => a + b, 0);
}

export async function pruneLocal(cacheDir: string, limits: PruneLimits): Promise<PruneOutcome> {
  const now = limits.now ?? Date.now();
  const names = await readdir(cacheDir).catch(() => []);
  const found: Found[] = [];
  for (const name of names) {
    const dir = path.join(cacheDir, name);
    const s = await lstat(dir).catch(() => undefined);
    if (!s?.isDirectory() || !trusted(s)) continue;
    if (name.startsWith(TEMP_PREFIX)) {
      if (now - s.mtimeMs > TEMP_MAX_AGE_MS) await rm(dir, { recursive: true, force: true });
      continue;
    }
    if (isKey(name)) found.push({ dir, bytes: await sizeOf(dir), usedMs: s.mtimeMs });
  }
  found.sort((a, b) => b.usedMs - a.usedMs);
  let keptBytes = 0;
  let kept = 0;
  let removed = 0;
  let removedBytes = 0;
  for (const entry of found) {
    if (now - entry.usedMs > limits.maxAgeMs || keptBytes + entry.bytes > limits.maxBytes) {
      await rm(entry.dir, { recursive: true, force: true });
      removed++;
      removedBytes += entry.bytes;
    } else {
      kept++;
      keptBytes += entry.bytes;
    }
  }
  return { removed, removedBytes, kept, keptBytes };
}
