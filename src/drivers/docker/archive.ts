/**
 * Copies files and folders out of a container (running or stopped) through the archive API,
 * keeping the path the phase named (see `collectedPath`): `/out/junit.xml` → `<dest>/files/out/junit.xml`.
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { extract } from 'tar-stream';
import type { CollectedFile } from '../driver.js';
import type { ArchivePort, ContainerPort } from './engine/engine.js';
import { isNoSuchContainer, isNotFound } from './engine/engine-error.js';
import { collectedPath } from '../shared/collected-path.js';
import { writtenByAttempt, type AttemptFacts, type WrittenBy } from './phase-writes.js';

/**
 * A finished phase's files, each marked by whether this attempt wrote it (phase-writes.ts). A container
 * that is gone (released already) makes every path an error, never a throw.
 */
export async function collectAttempt(
  ports: { readonly containers: ContainerPort; readonly archive: ArchivePort },
  containerId: string,
  facts: AttemptFacts,
  paths: readonly string[],
  destDir: string,
): Promise<CollectedFile[]> {
  if (paths.length === 0) return []; // nothing to ask the engine, which would hold us until it has released the container
  let written: WrittenBy;
  try {
    written = await writtenByAttempt(ports.containers, containerId, facts);
  } catch (err) {
    const why = isNoSuchContainer(err) ? GONE : err instanceof Error ? err.message : String(err);
    return paths.map((source) => ({ source, error: `could not copy ${source} out: ${why}` }));
  }
  return copyOut(ports.archive, containerId, paths, destDir, written);
}

const GONE = 'the phase container is gone (released already?)';

export async function copyOut(
  archive: ArchivePort,
  containerId: string,
  paths: readonly string[],
  destDir: string,
  written: WrittenBy,
): Promise<CollectedFile[]> {
  return Promise.all(paths.map((p) => copyOne(archive, containerId, p, destDir, written)));
}

async function copyOne(
  archive: ArchivePort,
  containerId: string,
  source: string,
  destDir: string,
  written: WrittenBy,
): Promise<CollectedFile> {
  let tar: Readable;
  try {
    tar = await archive.read(containerId, source);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (isNoSuchContainer(err)) {
      return { source, error: `could not copy ${source} out: ${GONE}` };
    }
    if (isNotFound(err)) {
      return {
        source,
        error: `${source} does not exist in the container (was it written there, and is the path absolute?)`,
      };
    }
    return { source, error: `could not copy ${source} out: ${message}` };
  }
  try {
    // The archive's top entry is the source's own name: unpack it next to where it belongs.
    const path = collectedPath(destDir, source);
    const newestMtimeMs = await extractInto(tar, dirname(path));
    return { source, path, writtenByPhase: await written(source, newestMtimeMs) };
  } catch (err) {
    return { source, error: `could not unpack ${source}: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** Unpacks; resolves with the newest file mtime in the archive (undefined when it held no file). */
async function extractInto(archive: Readable, destDir: string): Promise<number | undefined> {
  let newest: number | undefined;
  const tar = extract();
  tar.on('entry', (header, stream, next) => {
    if (header.type === 'file' && header.mtime) newest = Math.max(newest ?? 0, header.mtime.getTime());
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
  return newest;
}

/** The host path for an entry, or undefined when the name would escape `destDir`. */
function safeTarget(destDir: string, name: string): string | undefined {
  const clean = normalize(name);
  if (isAbsolute(clean) || clean === '..' || clean.startsWith(`..${sep}`)) return undefined;
  return join(destDir, clean);
}
