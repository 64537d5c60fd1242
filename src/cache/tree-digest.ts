/**
 * The content digest of a mounted file or folder, fast on the second look: a per-user stat cache
 * (path + size + mtime + ctime + inode → content hash) means only files whose stat changed are read.
 * Symlinks count by where they point and are never followed (nothing outside the tree is read); a
 * symlinked mount root is resolved, as the engine does when it mounts it.
 */
import { createHash } from 'node:crypto';
import { closeSync, lstatSync, openSync, readdirSync, readSync, readlinkSync, realpathSync, type Stats } from 'node:fs';
import { ignoreRules } from './ignore-rules.js';
import { StatCache, type StatRecord } from './stat-cache.js';

/** A file changed this recently may change again within the same mtime tick: hash it, never trust its stat. */
const RACY_MS = 2_000;

export interface DigestStats {
  files: number;
  /** Files whose content was read (their stat changed or was unknown). */
  hashed: number;
}

export class TreeDigester {
  readonly stats: DigestStats = { files: 0, hashed: 0 };
  private readonly buffer = Buffer.allocUnsafe(1 << 20);

  /** `statCacheDir`: where stat caches live (undefined: no stat cache, every file is read). */
  constructor(
    private readonly statCacheDir: string | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  /** `excluded`: absolute paths never counted (e.g. the run's output folder when it is inside the mount). */
  async digest(source: string, excluded: readonly string[] = []): Promise<string> {
    let root: string;
    let rootStat: Stats;
    try {
      root = realpathSync(source);
      rootStat = lstatSync(root);
    } catch {
      return 'missing';
    }
    if (!rootStat.isDirectory()) return `file:${rootStat.isFile() ? this.hashFile(root) : kindOf(rootStat)}`;
    const cache = this.statCacheDir ? await StatCache.open(this.statCacheDir, root) : undefined;
    const lines = this.walk(root, ignoreRules(root, excluded), cache);
    await cache?.save();
    lines.sort();
    const hash = createHash('sha256');
    for (const line of lines) hash.update(line);
    return `tree:${hash.digest('hex')}`;
  }

  private walk(root: string, rules: ReturnType<typeof ignoreRules>, cache: StatCache | undefined): string[] {
    const lines: string[] = [];
    const racyFrom = this.now() - RACY_MS;
    const folders = [''];
    while (folders.length > 0) {
      const folder = folders.pop()!;
      for (const entry of readdirSync(folder === '' ? root : `${root}/${folder}`, { withFileTypes: true })) {
        const rel = folder === '' ? entry.name : `${folder}/${entry.name}`;
        const ignored = rules.ignores(rel);
        if (entry.isDirectory()) {
          if (!(ignored && rules.prunesFolders)) folders.push(rel);
          continue;
        }
        if (ignored) continue;
        const abs = `${root}/${rel}`;
        const s = lstatSync(abs);
        if (s.isSymbolicLink()) lines.push(`${rel}\0link\0${readlinkSync(abs)}\n`);
        else if (s.isFile())
          lines.push(`${rel}\0file${s.mode & 0o111 ? 'x' : ''}\0${this.fileHash(abs, rel, s, cache, racyFrom)}\n`);
        else lines.push(`${rel}\0${kindOf(s)}\n`);
      }
    }
    return lines;
  }

  private fileHash(abs: string, rel: string, s: Stats, cache: StatCache | undefined, racyFrom: number): string {
    this.stats.files++;
    const record: StatRecord = [s.size, s.mtimeMs, s.ctimeMs, s.ino];
    const known = cache?.lookup(rel, record);
    if (known !== undefined) return known;
    const hash = this.hashFile(abs);
    if (s.mtimeMs < racyFrom && s.ctimeMs < racyFrom) cache?.remember(rel, record, hash);
    return hash;
  }

  private hashFile(abs: string): string {
    this.stats.hashed++;
    const hash = createHash('sha256');
    const fd = openSync(abs, 'r');
    try {
      for (let n = readSync(fd, this.buffer); n > 0; n = readSync(fd, this.buffer))
        hash.update(this.buffer.subarray(0, n));
    } finally {
      closeSync(fd);
    }
    return hash.digest('hex');
  }
}

function kindOf(s: Stats): string {
  if (s.isFIFO()) return 'fifo';
  if (s.isSocket()) return 'socket';
  if (s.isBlockDevice() || s.isCharacterDevice()) return 'device';
  return 'other';
}
