/**
 * Copies files and folders out of a container (running or stopped) through the archive API,
 * keeping names: `/out/junit.xml` → `<dest>/junit.xml`, `/out/cov/` → `<dest>/cov/…`.
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, normalize, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { extract } from 'tar-stream';
import type { CollectedFile } from '../driver.js';
import type { ArchivePort } from './engine/engine.js';
import { isNoSuchContainer, isNotFound } from './engine/engine-error.js';

export async function copyOut(
  archive: ArchivePort,
  containerId: string,
  paths: readonly string[],
  destDir: string,
): Promise<CollectedFile[]> {
  await mkdir(destDir, { recursive: true });
  return Promise.all(paths.map((p) => copyOne(archive, containerId, p, destDir)));
}

async function copyOne(archive: ArchivePort, containerId: string, source: string, destDir: string): Promise<CollectedFile> {
  let tar: Readable;
  try {
    tar = await archive.read(containerId, source);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (isNoSuchContainer(err)) {
      return { source, error: `could not copy ${source} out: the phase container is gone (released already?)` };
    }
    if (isNotFound(err)) {
      return { source, error: `${source} does not exist in the container (was it written there, and is the path absolute?)` };
    }
    return { source, error: `could not copy ${source} out: ${message}` };
  }
  try {
    await extractInto(tar, destDir);
    return { source, path: join(destDir, basename(source.replace(/\/+$/, '')) || 'root') };
  } catch (err) {
    return { source, error: `could not unpack ${source}: ${err instanceof Error ? err.message : String(err)}` };
  }
}

async function extractInto(archive: Readable, destDir: string): Promise<void> {
  const tar = extract();
  tar.on('entry', (header, stream, next) => {
    // An archive that breaks mid-file fails the entry too, maybe before a reader is attached
    // (mkdir pending): the outer pipeline reports it, an unheard error would crash the runner.
    stream.on('error', () => undefined);
    const target = safeTarget(destDir, header.name);
    const done = (err?: unknown) => (err ? next(err as Error) : next());
    if (!target || (header.type !== 'file' && header.type !== 'directory')) {
      stream.resume();
      stream.on('end', () => done());
      return;
    }
    if (header.type === 'directory') {
      mkdir(target, { recursive: true }).then(() => {
        stream.resume();
        stream.on('end', () => done());
      }, done);
      return;
    }
    mkdir(dirname(target), { recursive: true })
      .then(() => pipeline(stream, createWriteStream(target, { mode: (header.mode ?? 0o644) | 0o600 })))
      .then(() => done(), done);
  });
  await pipeline(archive, tar);
}

/** The host path for an entry, or undefined when the name would escape `destDir`. */
function safeTarget(destDir: string, name: string): string | undefined {
  const clean = normalize(name);
  if (isAbsolute(clean) || clean === '..' || clean.startsWith(`..${sep}`)) return undefined;
  return join(destDir, clean);
}
