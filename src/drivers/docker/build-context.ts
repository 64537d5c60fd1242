/** Packs a build context as the Docker CLI does: a tar of the folder minus what .dockerignore excludes. */
import { lstatSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { Readable } from 'node:stream';
import dockerignoreModule, { type Ignore } from '@balena/dockerignore';
import { pack, type PackOptions } from 'tar-fs';

// A CommonJS module whose typings claim an ES default export: take whichever shape arrives.
type IgnoreFactory = (options?: { ignorecase?: boolean }) => Ignore;
const dockerignore: IgnoreFactory =
  (dockerignoreModule as unknown as { default?: IgnoreFactory }).default ??
  (dockerignoreModule as unknown as IgnoreFactory);

export async function readDockerignore(contextDir: string): Promise<string[]> {
  try {
    const text = await readFile(join(contextDir, '.dockerignore'), 'utf8');
    return text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
  } catch {
    return [];
  }
}

/** Returns a predicate telling whether a context-relative path (with `/`) is left out of the context. */
export function contextFilter(patterns: readonly string[], dockerfile: string): (relPath: string) => boolean {
  const ig = dockerignore({ ignorecase: false }).add([...patterns]);
  // The CLI always sends the Dockerfile and .dockerignore, even when .dockerignore names them.
  const keep = new Set([normalise(dockerfile), '.dockerignore']);
  return (relPath) => relPath !== '' && !keep.has(relPath) && ig.ignores(relPath);
}

export async function packBuildContext(contextDir: string, dockerfile: string): Promise<Readable> {
  const patterns = await readDockerignore(contextDir);
  const excluded = contextFilter(patterns, dockerfile);
  // A folder may be skipped whole only when no `!exception` could bring back something inside it.
  const hasExceptions = patterns.some((p) => p.startsWith('!'));
  const options: PackOptions & { sort: boolean } = {
    sort: true,
    ignore: (abs) => {
      const rel = normalise(relative(contextDir, abs));
      if (!excluded(rel)) return false;
      return !(hasExceptions && isDirectory(abs));
    },
    // Reproducible ownership: the builder's cache keys on content, not on who owns the files.
    map: (header) => ({ ...header, uid: 0, gid: 0 }),
  };
  return pack(contextDir, options) as unknown as Readable;
}

function normalise(p: string): string {
  return p.split(sep).join('/').replace(/^\.\//, '');
}

function isDirectory(abs: string): boolean {
  try {
    return lstatSync(abs).isDirectory();
  } catch {
    return false;
  }
}
