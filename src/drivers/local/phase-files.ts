/**
 * Where a phase's files are on the host. Plans name result, coverage and artifact paths as the
 * container sees them; under the local driver a phase gets `TESTPLAN_OUT`, a fresh folder of its
 * own for each attempt, and:
 *   - `/out` and paths under `/out/` map into that folder (`/out/junit.xml` → `$TESTPLAN_OUT/junit.xml`),
 *   - other absolute paths are taken as they are,
 *   - relative paths resolve against the phase's working folder.
 * So a `local.run` that writes `$TESTPLAN_OUT/junit.xml` satisfies `results: { junit: '/out/junit.xml' }`.
 *
 * Whether the attempt wrote a file: everything in its fresh `TESTPLAN_OUT` is its own; any other
 * path is compared with a snapshot taken before the attempt started (inode and change time, which
 * `touch -d` cannot set back), so a file left by an earlier attempt or run does not count.
 */
import { cp, lstat, readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import type { CollectedFile } from '../driver.js';
import { collectedPath } from '../shared/collected-path.js';

export const OUT_ENV = 'TESTPLAN_OUT';
export const CONTAINER_OUT_DIR = '/out';

export interface PhaseFolders {
  /** The phase's `TESTPLAN_OUT` folder. */
  readonly outDir: string;
  /** Where the phase ran. */
  readonly workdir: string;
}

/** Per host path outside `TESTPLAN_OUT`: a fingerprint of what was there before the attempt (absent: nothing). */
export type OutputSnapshot = ReadonlyMap<string, string>;

export function hostPathOf(source: string, folders: PhaseFolders): string {
  if (source === CONTAINER_OUT_DIR || source === `${CONTAINER_OUT_DIR}/`) return folders.outDir;
  if (source.startsWith(`${CONTAINER_OUT_DIR}/`))
    return join(folders.outDir, source.slice(CONTAINER_OUT_DIR.length + 1));
  return isAbsolute(source) ? source : resolve(folders.workdir, source);
}

function inOutDir(source: string): boolean {
  return source === CONTAINER_OUT_DIR || source.startsWith(`${CONTAINER_OUT_DIR}/`);
}

/** Fingerprints of every file under `path` (itself, if a file): inode and change time. */
async function fingerprints(path: string, into: Map<string, string>): Promise<void> {
  const info = await lstat(path).catch(() => undefined);
  if (!info) return;
  if (!info.isDirectory()) {
    into.set(path, `${info.ino}:${info.ctimeMs}`);
    return;
  }
  for (const name of await readdir(path).catch(() => [] as string[])) await fingerprints(join(path, name), into);
}

export async function snapshotOutputs(sources: readonly string[], folders: PhaseFolders): Promise<OutputSnapshot> {
  const snapshot = new Map<string, string>();
  for (const source of sources) if (!inOutDir(source)) await fingerprints(hostPathOf(source, folders), snapshot);
  return snapshot;
}

async function writtenSince(hostPath: string, before: OutputSnapshot): Promise<boolean> {
  const now = new Map<string, string>();
  await fingerprints(hostPath, now);
  for (const [path, print] of now) if (before.get(path) !== print) return true;
  return false;
}

/** Copies each path (file or folder) into `destDir` (see `collectedPath`); a missing path is reported, never thrown. */
export async function collectPhaseFiles(
  sources: readonly string[],
  folders: PhaseFolders,
  destDir: string,
  before: OutputSnapshot,
): Promise<CollectedFile[]> {
  const collected: CollectedFile[] = [];
  for (const source of sources) {
    const hostPath = hostPathOf(source, folders);
    try {
      const info = await stat(hostPath);
      const target = collectedPath(destDir, source);
      const writtenByPhase = inOutDir(source) || (await writtenSince(hostPath, before));
      await cp(hostPath, target, { recursive: info.isDirectory(), force: true });
      collected.push({ source, path: target, writtenByPhase });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      collected.push({
        source,
        error:
          code === 'ENOENT'
            ? `${source} was not written (looked at ${hostPath}; under --driver local, /out/ is the folder in $${OUT_ENV})`
            : `could not copy ${source} from ${hostPath}: ${err instanceof Error ? err.message : String(err)}`,
      });
    }
  }
  return collected;
}
