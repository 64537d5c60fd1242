/**
 * A cache entry: provenance (`EntryMeta`, small, readable without the blob) and one tar blob holding
 * what a passing phase left in its output folder (`files/`, `workdir/`), its attempts (`state.json`) and
 * its output (`log.txt`). The blob's sha256 is in the meta: a blob that does not match is never served.
 * Only regular files and folders are packed; an unpacked name that would leave the folder is refused.
 */
import { createHash } from 'node:crypto';
import { lstat, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AttemptRecord } from '../execute/run-state.js';

export const ENTRY_VERSION = 1;

export interface EntryMeta {
  readonly v: typeof ENTRY_VERSION;
  readonly key: string;
  readonly plan: string;
  readonly phase: string;
  readonly runId: string;
  /** When the run that stored it started (ISO 8601). */
  readonly createdAt: string;
  readonly commit?: string;
  readonly dirty?: boolean;
  readonly blob: { readonly digest: string; readonly size: number };
}

/** What a restored phase needs besides its files. */
export interface EntryState {
  readonly attempts: readonly AttemptRecord[];
  /** Collected files: the container path, and where it landed relative to the phase's folder. */
  readonly collected: readonly {
    readonly source: string;
    readonly rel?: string;
    /** False when the file predates the phase (as the driver told it). */
    readonly written?: boolean;
    readonly error?: string;
  }[];
  /** Lines of the last attempt's output in log.txt; `truncated` when the cache kept only the first ones. */
  readonly logLines: number;
  readonly truncated?: boolean;
}

export const blobDigest = (blob: Buffer): string => `sha256:${createHash('sha256').update(blob).digest('hex')}`;

/** Whether the blob is the one the meta names (size and digest). */
export function blobMatches(meta: EntryMeta, blob: Buffer): boolean {
  return blob.length === meta.blob.size && blobDigest(blob) === meta.blob.digest;
}

/** tar-stream (~6 ms to load) loads when a run is sure to need it, not with the CLI: see prepareEntries. */
let tarStream: Promise<typeof import('tar-stream')> | undefined;
const loadTarStream = (): Promise<typeof import('tar-stream')> => (tarStream ??= import('tar-stream'));

/** Loads the packer ahead, while the engine works, for a run that will store or restore entries. */
export function prepareEntries(): void {
  loadTarStream().catch(() => undefined); // a failure surfaces in packEntry/unpackEntry
}

export async function packEntry(phaseDir: string, state: EntryState, log: readonly string[]): Promise<Buffer> {
  const tar = (await loadTarStream()).pack();
  const chunks: Buffer[] = [];
  tar.on('data', (c: unknown) => chunks.push(c as Buffer));
  const done = new Promise<void>((resolve, reject) => {
    tar.on('end', resolve);
    tar.on('error', reject);
  });
  const add = (name: string, data: Buffer | string, mode = 0o644): void => {
    tar.entry({ name, mode, mtime: new Date(0), uid: 0, gid: 0 }, typeof data === 'string' ? Buffer.from(data) : data);
  };
  add('state.json', JSON.stringify(state));
  add('log.txt', log.length ? `${log.join('\n')}\n` : '');
  for (const rel of await filesUnder(phaseDir)) {
    const s = await lstat(path.join(phaseDir, rel));
    add(`phase/${rel}`, await readFile(path.join(phaseDir, rel)), s.mode & 0o777);
  }
  tar.finalize();
  await done;
  return Buffer.concat(chunks);
}

async function filesUnder(root: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(path.join(root, prefix), { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await filesUnder(root, rel)));
    else if (e.isFile()) out.push(rel);
  }
  return out;
}

export interface UnpackedEntry {
  readonly state: EntryState;
  readonly log: readonly string[];
}

/** Writes the blob's phase files under `phaseDir`; returns its state and log. */
export async function unpackEntry(blob: Buffer, phaseDir: string): Promise<UnpackedEntry> {
  const ex = (await loadTarStream()).extract();
  let state: EntryState | undefined;
  let log: string[] = [];
  const finished = (async () => {
    for await (const entry of ex) {
      const chunks: Buffer[] = [];
      for await (const c of entry) chunks.push(c as Buffer);
      const data = Buffer.concat(chunks);
      const name = entry.header.name;
      if (entry.header.type !== 'file') continue;
      if (name === 'state.json') state = JSON.parse(data.toString('utf8')) as EntryState;
      else if (name === 'log.txt') log = data.length ? data.toString('utf8').replace(/\n$/, '').split('\n') : [];
      else if (name.startsWith('phase/')) {
        const target = safeJoin(phaseDir, name.slice('phase/'.length));
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(target, data, { mode: (entry.header.mode ?? 0o644) & 0o755 });
      }
    }
  })();
  ex.end(blob);
  await finished;
  if (!state) throw new Error('the entry has no state.json');
  return { state, log };
}

function safeJoin(root: string, rel: string): string {
  const target = path.resolve(root, rel);
  if (rel === '' || path.isAbsolute(rel) || !target.startsWith(root + path.sep))
    throw new Error(`the entry names a file outside its folder: ${rel}`);
  return target;
}
