/** Where cache entries live: a local folder by default, an OCI registry as the shared backend for CI. */
import type { EntryMeta } from './entry.js';

export interface StoredEntry {
  readonly meta: EntryMeta;
  /** Verified: its size and sha256 match `meta.blob`. */
  readonly blob: Buffer;
}

export interface CacheStore {
  /** For messages: the folder or the registry repository. */
  readonly where: string;
  /** The entry under `key`, verified; undefined when there is none or it is unusable (never thrown). */
  get(key: string): Promise<StoredEntry | undefined>;
  /** Stores an entry; a failure is reported to the caller, who carries on without the cache. */
  put(meta: EntryMeta, blob: Buffer): Promise<void>;
}

/** Keys are sha256 hex: anything else is refused before it names a file or a tag. */
export const isKey = (key: string): boolean => /^[0-9a-f]{64}$/.test(key);
