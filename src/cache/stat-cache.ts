/**
 * Per-user memory of file stats → content hashes, one file per mounted folder. Trusted only when this
 * user alone can write it (as the plan bundle cache): a planted entry could otherwise make a changed file
 * look unchanged. Written to a temp file and renamed, so a killed write leaves the old one or none.
 */
import { createHash } from 'node:crypto';
import { chmod, lstat, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { trusted } from '../load/bundle-cache.js';

/** size, mtimeMs, ctimeMs, inode. */
export type StatRecord = readonly [number, number, number, number];
type Stored = readonly [number, number, number, number, string];

const VERSION = 1;

export class StatCache {
  private readonly next = new Map<string, Stored>();
  private changed = false;

  private constructor(
    private readonly file: string,
    private readonly root: string,
    private readonly known: ReadonlyMap<string, Stored>,
  ) {}

  static async open(dir: string, root: string): Promise<StatCache> {
    const file = path.join(dir, `${createHash('sha256').update(root).digest('hex').slice(0, 32)}.json`);
    let known = new Map<string, Stored>();
    try {
      const [d, f] = await Promise.all([lstat(dir), lstat(file)]);
      if (trusted(d) && trusted(f)) {
        const data = JSON.parse(await readFile(file, 'utf8')) as {
          v: number;
          root: string;
          entries: Record<string, Stored>;
        };
        if (data.v === VERSION && data.root === root) known = new Map(Object.entries(data.entries));
      }
    } catch {
      // none yet, or unreadable: every file is read once
    }
    return new StatCache(file, root, known);
  }

  lookup(rel: string, stat: StatRecord): string | undefined {
    const stored = this.known.get(rel);
    if (!stored || stored[0] !== stat[0] || stored[1] !== stat[1] || stored[2] !== stat[2] || stored[3] !== stat[3])
      return undefined;
    this.next.set(rel, stored);
    return stored[4];
  }

  remember(rel: string, stat: StatRecord, hash: string): void {
    this.next.set(rel, [...stat, hash]);
    this.changed = true;
  }

  /** Best effort: a stat cache that cannot be written only makes the next digest slower. */
  async save(): Promise<void> {
    if (!this.changed && this.next.size === this.known.size) return;
    try {
      const dir = path.dirname(this.file);
      if ((await mkdir(dir, { recursive: true, mode: 0o700 })) !== undefined) await chmod(dir, 0o700);
      const temp = `${this.file}.${process.pid}.${Date.now()}.tmp`;
      const entries = Object.fromEntries(this.next);
      await writeFile(temp, JSON.stringify({ v: VERSION, root: this.root, entries }), { mode: 0o600, flag: 'wx' });
      await rename(temp, this.file);
    } catch {
      // ignore
    }
  }
}
