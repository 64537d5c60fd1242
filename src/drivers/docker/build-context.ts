/**
 * Packs a build context as the Docker CLI does: a tar of the folder minus what the ignore file
 * excludes. The ignore file is `<Dockerfile>.dockerignore` next to the Dockerfile when there is one
 * (BuildKit's rule, the CLI's default builder), else the context's `.dockerignore`. A Dockerfile
 * outside the context is sent along under a generated name, as the CLI does.
 */
import { createHash } from 'node:crypto';
import { existsSync, lstatSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import dockerignoreModule, { type Ignore } from '@balena/dockerignore';
import { pack, type PackOptions } from 'tar-fs';
import type { Pack } from 'tar-stream';

// A CommonJS module whose typings claim an ES default export: take whichever shape arrives.
type IgnoreFactory = (options?: { ignorecase?: boolean }) => Ignore;
const dockerignore: IgnoreFactory =
  (dockerignoreModule as unknown as { default?: IgnoreFactory }).default ??
  (dockerignoreModule as unknown as IgnoreFactory);

export interface PackedContext {
  readonly tar: Readable;
  /** The `dockerfile` build parameter: the Dockerfile's path inside the tar. */
  readonly dockerfile: string;
}

/** The Dockerfile's absolute path: `dockerfile` is relative to the context (or absolute). */
export function dockerfilePath(contextDir: string, dockerfile: string): string {
  return resolve(contextDir, dockerfile);
}

/** The ignore file that applies: `<Dockerfile>.dockerignore` next to it, else the context's `.dockerignore`. */
export function ignoreFileFor(contextDir: string, dockerfileAbs: string): string {
  const own = `${dockerfileAbs}.dockerignore`;
  return existsSync(own) ? own : join(contextDir, '.dockerignore');
}

export function parseDockerignore(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Returns a predicate telling whether a context-relative path (with `/`) is left out of the context. */
export function contextFilter(patterns: readonly string[], dockerfile: string): (relPath: string) => boolean {
  const ig = dockerignore({ ignorecase: false }).add([...patterns]);
  // The CLI always sends the Dockerfile and .dockerignore, even when .dockerignore names them.
  const keep = new Set([normalise(dockerfile), '.dockerignore']);
  return (relPath) => relPath !== '' && !keep.has(relPath) && ig.ignores(relPath);
}

export async function packBuildContext(contextDir: string, dockerfile: string): Promise<PackedContext> {
  const dockerfileAbs = dockerfilePath(contextDir, dockerfile);
  const inContext = normalise(relative(contextDir, dockerfileAbs));
  const outside = inContext === '..' || inContext.startsWith('../') || isAbsolute(inContext);
  const patterns = parseDockerignore((await readText(ignoreFileFor(contextDir, dockerfileAbs))) ?? '');
  const excluded = contextFilter(patterns, outside ? '' : inContext);
  // A folder may be skipped whole only when no `!exception` could bring back something inside it.
  const hasExceptions = patterns.some((p) => p.startsWith('!'));
  const extra = outside ? await outsideDockerfile(contextDir, dockerfileAbs) : undefined;
  const options: PackOptions & { sort: boolean; finalize?: boolean; finish?: (pack: Pack) => void } = {
    sort: true,
    ignore: (abs) => {
      const rel = normalise(relative(contextDir, abs));
      // Replaced by the copy that also names the sent Dockerfile.
      if (extra && rel === '.dockerignore') return true;
      if (!excluded(rel)) return false;
      return !(hasExceptions && isDirectory(abs));
    },
    // Reproducible ownership: the builder's cache keys on content, not on who owns the files.
    map: (header) => ({ ...header, uid: 0, gid: 0 }),
    ...(extra
      ? {
          finalize: false,
          finish: (tar: Pack) => {
            for (const [name, content] of extra.entries) tar.entry({ name, mode: 0o600, uid: 0, gid: 0 }, content);
            tar.finalize();
          },
        }
      : {}),
  };
  const tar = pack(contextDir, options) as unknown as Readable;
  return { tar, dockerfile: extra?.name ?? inContext };
}

/**
 * As `docker build -f ../Dockerfile ctx` does: the Dockerfile goes into the tar as
 * `.dockerfile.<id>`, and that name is added to the sent `.dockerignore` (created as
 * `.dockerignore` + the name when the context has none), so the engine drops both from what
 * `COPY .` sees. The CLI's id is random; here it is the Dockerfile's content hash, which keeps the
 * layer cache of `COPY .` steps across runs.
 */
async function outsideDockerfile(
  contextDir: string,
  dockerfileAbs: string,
): Promise<{ name: string; entries: [string, Buffer][] }> {
  const content = await readFile(dockerfileAbs);
  const name = `.dockerfile.${createHash('sha256').update(content).digest('hex').slice(0, 20)}`;
  const ignore = (await readText(join(contextDir, '.dockerignore'))) ?? '.dockerignore';
  return {
    name,
    entries: [
      [name, content],
      ['.dockerignore', Buffer.from(`${ignore}\n${name}\n`)],
    ],
  };
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
