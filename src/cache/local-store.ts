/**
 * Entries in a local folder (default `<user cache>/testplan/phases`): `<key>/meta.json` and
 * `<key>/blob.tar`, written into a temp folder and renamed, so a killed write never leaves a
 * half entry under a key. Folders and files owned by someone else or writable by group or others are
 * ignored (as the plan bundle cache does). A hit touches the entry: pruning drops the least recently used.
 */
import { chmod, lstat, mkdir, mkdtemp, readFile, rename, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { trusted, userCacheDir } from '../load/bundle-cache.js';
import { blobMatches, ENTRY_VERSION, type EntryMeta } from './entry.js';
import { isKey, type CacheStore, type StoredEntry } from './store.js';

/** `<XDG_CACHE_HOME or ~/.cache>/testplan/phases`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(path.dirname(userCacheDir(env)), 'phases');
}

export const TEMP_PREFIX = '.tmp-';

async function trustedPath(p: string): Promise<boolean> {
  const s = await lstat(p).catch(() => undefined);
  return s !== undefined && trusted(s);
}

export class LocalStore implements CacheStore {
  constructor(readonly dir: string) {}

  get where(): string {
    return this.dir;
  }

  async get(key: string): Promise<StoredEntry | undefined> {
    if (!isKey(key)) return undefined;
    const entry = path.join(this.dir, key);
    try {
      const files = [path.join(entry, 'meta.json'), path.join(entry, 'blob.tar')];
      const checks = await Promise.all([this.dir, entry, ...files].map(trustedPath));
      if (!checks.every(Boolean)) return undefined;
      const [metaText, blob] = await Promise.all([readFile(files[0]!, 'utf8'), readFile(files[1]!)]);
      const meta = JSON.parse(metaText) as EntryMeta;
      if (meta.v !== ENTRY_VERSION || meta.key !== key || !blobMatches(meta, blob)) return undefined;
      const now = new Date();
      await utimes(entry, now, now).catch(() => undefined);
      return { meta, blob };
    } catch {
      return undefined;
    }
  }

  async put(meta: EntryMeta, blob: Buffer): Promise<void> {
    if (!isKey(meta.key)) throw new Error(`not a cache key: ${meta.key}`);
    if ((await mkdir(this.dir, { recursive: true, mode: 0o700 })) !== undefined) await chmod(this.dir, 0o700);
    if (!(await trustedPath(this.dir)))
      throw new Error(`${this.dir} is not this user's alone (owner or mode): entries are not written there`);
    const temp = await mkdtemp(path.join(this.dir, TEMP_PREFIX));
    try {
      await writeFile(path.join(temp, 'blob.tar'), blob, { mode: 0o600 });
      await writeFile(path.join(temp, 'meta.json'), JSON.stringify(meta), { mode: 0o600 });
      await chmod(temp, 0o700);
      const target = path.join(this.dir, key(meta));
      // An entry under this key already holds the same result: keep it (rename would refuse a full folder).
      await rename(temp, target).catch(async (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
        if (await this.get(meta.key)) return void (await rm(temp, { recursive: true, force: true }));
        // What is there is corrupt or not ours to trust: replace it.
        await rm(target, { recursive: true, force: true });
        await rename(temp, target);
      });
    } catch (error) {
      await rm(temp, { recursive: true, force: true });
      throw error;
    }
  }
}

const key = (meta: EntryMeta): string => meta.key;
