/** The runs stored beside a run's folder (`.testplan/runs/*`): their results.json files, newest first by file time. */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** A results.json larger than this is not read (a hostile or broken file). */
export const MAX_RESULTS_BYTES = 64 * 1024 * 1024;

export interface StoredResultFile {
  readonly file: string;
  readonly bytes: number;
}

/** At most `most` of them; folders without a results.json file are passed over. */
export async function storedResultFiles(runsDir: string, most: number): Promise<StoredResultFile[]> {
  const entries = await readdir(runsDir, { withFileTypes: true }).catch(() => []);
  const files = await Promise.all(
    entries
      .filter((e) => e.isDirectory())
      .map(async (e) => {
        const file = path.join(runsDir, e.name, 'results.json');
        const info = await stat(file).catch(() => undefined);
        return info?.isFile() ? { file, bytes: info.size, mtime: info.mtimeMs } : undefined;
      }),
  );
  return files
    .filter((f) => f !== undefined)
    .sort((a, b) => b.mtime - a.mtime)
    .slice(0, most)
    .map(({ file, bytes }) => ({ file, bytes }));
}
