/**
 * Where a phase's files are on the host. Plans name result, coverage and artifact paths as the
 * container sees them; under the local driver a phase gets `TESTPLAN_OUT`, a fresh folder of its
 * own, and:
 *   - `/out` and paths under `/out/` map into that folder (`/out/junit.xml` → `$TESTPLAN_OUT/junit.xml`),
 *   - other absolute paths are taken as they are,
 *   - relative paths resolve against the phase's working folder.
 * So a `local.run` that writes `$TESTPLAN_OUT/junit.xml` satisfies `results: { junit: '/out/junit.xml' }`.
 */
import { cp, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, resolve } from 'node:path';
import type { CollectedFile } from '../driver.js';

export const OUT_ENV = 'TESTPLAN_OUT';
export const CONTAINER_OUT_DIR = '/out';

export interface PhaseFolders {
  /** The phase's `TESTPLAN_OUT` folder. */
  readonly outDir: string;
  /** Where the phase ran. */
  readonly workdir: string;
}

export function hostPathOf(source: string, folders: PhaseFolders): string {
  if (source === CONTAINER_OUT_DIR || source === `${CONTAINER_OUT_DIR}/`) return folders.outDir;
  if (source.startsWith(`${CONTAINER_OUT_DIR}/`)) return join(folders.outDir, source.slice(CONTAINER_OUT_DIR.length + 1));
  return isAbsolute(source) ? source : resolve(folders.workdir, source);
}

/** Copies each path (file or folder) into `destDir` under its base name; a missing path is reported, never thrown. */
export async function collectPhaseFiles(
  sources: readonly string[],
  folders: PhaseFolders,
  destDir: string,
): Promise<CollectedFile[]> {
  const collected: CollectedFile[] = [];
  for (const source of sources) {
    const hostPath = hostPathOf(source, folders);
    try {
      const info = await stat(hostPath);
      const target = join(destDir, basename(source) || basename(hostPath));
      await cp(hostPath, target, { recursive: info.isDirectory(), force: true });
      collected.push({ source, path: target });
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
