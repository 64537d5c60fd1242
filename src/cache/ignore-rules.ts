/**
 * Which files of a mounted folder are left out of its content digest. The folder's own `.testplanignore`
 * (dockerignore syntax) when it has one, else its `.dockerignore`; `.git` and `.testplan` (run output,
 * this cache's neighbours) never count, nor anything under the run's own output folder.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import dockerignoreModule, { type Ignore } from '@balena/dockerignore';

// A CommonJS module whose typings claim an ES default export: take whichever shape arrives.
type IgnoreFactory = (options?: { ignorecase?: boolean }) => Ignore;
const dockerignore: IgnoreFactory =
  (dockerignoreModule as unknown as { default?: IgnoreFactory }).default ??
  (dockerignoreModule as unknown as IgnoreFactory);

export const IGNORE_FILES = ['.testplanignore', '.dockerignore'] as const;
const ALWAYS = ['.git', '.testplan'];

export interface IgnoreRules {
  /** Whether a root-relative path (with `/`) is left out. */
  readonly ignores: (rel: string) => boolean;
  /** Whether a left-out folder may be skipped whole (no `!exception` could bring back something inside). */
  readonly prunesFolders: boolean;
}

function readPatterns(root: string): string[] {
  for (const name of IGNORE_FILES) {
    try {
      return readFileSync(path.join(root, name), 'utf8')
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l !== '' && !l.startsWith('#'));
    } catch {
      // none here: try the next
    }
  }
  return [];
}

export function ignoreRules(root: string, excludedPaths: readonly string[] = []): IgnoreRules {
  const patterns = readPatterns(root);
  const inside = excludedPaths
    .map((p) => path.relative(root, p))
    .filter((rel) => rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel))
    .map((rel) => rel.split(path.sep).join('/'));
  const underExcluded = (rel: string): boolean => inside.some((ex) => rel === ex || rel.startsWith(`${ex}/`));
  if (patterns.length === 0) {
    // No ignore file: only the top-level names that never count (the common case, and the fast one).
    const always = new Set(ALWAYS);
    return { ignores: (rel) => always.has(rel) || underExcluded(rel), prunesFolders: true };
  }
  const ig = dockerignore({ ignorecase: false }).add([...ALWAYS, ...patterns]);
  return {
    ignores: (rel) => ig.ignores(rel) || underExcluded(rel),
    prunesFolders: !patterns.some((p) => p.startsWith('!')),
  };
}
