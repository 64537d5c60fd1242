/** Temp folders for tests: kept when the test file failed (to read them), removed otherwise. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dirs: string[] = [];
process.on('exit', (code) => {
  if (code === 0 && !process.exitCode) for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `testplan-${prefix}-`));
  dirs.push(dir);
  return dir;
}
