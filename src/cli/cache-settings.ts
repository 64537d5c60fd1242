/** `plan run`'s cache options → the phase cache's settings (src/cache). */
import path from 'node:path';
import { defaultCacheDir, LocalStore } from '../cache/local-store.js';
import { isRegistryUrl, OciStore } from '../cache/oci-store.js';
import type { CacheSettings } from '../cache/phase-cache.js';
import { DEFAULT_MAX_AGE_MS, DEFAULT_MAX_BYTES, pruneLocal } from '../cache/prune.js';
import { UsageError } from '../errors.js';

export interface CacheOptionValues {
  readonly 'no-cache'?: boolean;
  readonly 'cache-dir'?: string;
  readonly 'cache-from'?: string;
}

export function cacheDir(values: CacheOptionValues, cwd: string, env: NodeJS.ProcessEnv): string {
  const given = values['cache-dir'] ?? env.TESTPLAN_CACHE_DIR;
  return given ? path.resolve(cwd, given) : defaultCacheDir(env);
}

export function cacheSettings(
  values: CacheOptionValues,
  cwd: string,
  env: NodeJS.ProcessEnv,
): CacheSettings & { readonly statCacheDir: string } {
  const dir = cacheDir(values, cwd, env);
  const from = values['cache-from'];
  if (from !== undefined && !isRegistryUrl(from))
    throw new UsageError(`--cache-from ${from}: expected registry://HOST[:PORT]/REPOSITORY (an OCI registry)`);
  return {
    store: from !== undefined ? new OciStore(from) : new LocalStore(dir),
    reuse: !values['no-cache'],
    statCacheDir: path.join(dir, '.stat'),
    ...(from === undefined
      ? {
          afterStore: async () =>
            void (await pruneLocal(dir, { maxBytes: DEFAULT_MAX_BYTES, maxAgeMs: DEFAULT_MAX_AGE_MS })),
        }
      : {}),
  };
}
