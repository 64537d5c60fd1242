/**
 * Where a collected file lands on the host: under `<destDir>/files/` with the path the phase
 * named (`/out/junit.xml` → `files/out/junit.xml`), so results, coverage and artifacts can never
 * overwrite one another (`/old/junit.xml` and `/out/junit.xml` both keep their place). A relative
 * path (the phase's working folder) goes under `<destDir>/workdir/`, a tree of its own; `..` steps
 * become `(up)` so nothing lands outside `destDir`.
 */
import { join, posix } from 'node:path';

export function collectedPath(destDir: string, source: string): string {
  const absolute = source.startsWith('/');
  const parts = posix
    .normalize(source)
    .split('/')
    .filter((p) => p !== '' && p !== '.')
    .map((p) => (p === '..' ? '(up)' : p));
  return join(destDir, absolute ? 'files' : 'workdir', ...parts);
}
