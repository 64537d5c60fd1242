/**
 * Which collected paths the phase container wrote itself. The container's writable layer proves the
 * container's own writes: a file baked into the image, whatever its mtime, is not in it, and each
 * attempt runs in a new container. Where the engine's overlay2 upper directory is on this machine it is
 * read directly (a stat per path); elsewhere the engine's filesystem diff (`docker diff`: Added/Changed
 * entries) says the same, but costs ~300 ms, since the engine walks the image to compute it. Paths on
 * a bind mount are not in the diff: there the host file's change time (which `touch -d` cannot
 * set back) must not predate the attempt. Paths in one of the image's VOLUMEs are on neither: there
 * the file's mtime in the archive is the only witness (a baked future mtime would fool it).
 */
import { lstat, readdir } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { MountSpec } from '../../dsl/plan.js';
import type { ContainerPort } from './engine/engine.js';

export interface AttemptFacts {
  /** Wall-clock milliseconds when the attempt was about to start. */
  readonly startedAtMs: number;
  readonly mounts: readonly MountSpec[];
  readonly imageVolumes: readonly string[];
}

export type WrittenBy = (source: string, archiveMtimeMs: number | undefined) => Promise<boolean>;

export async function writtenByAttempt(
  containers: ContainerPort,
  containerId: string,
  facts: AttemptFacts,
): Promise<WrittenBy> {
  const wroteInLayer = await layerWrites(containers, containerId);
  return async (source, archiveMtimeMs) => {
    const path = clean(source);
    const mount = facts.mounts.find((m) => within(path, clean(m.target)));
    if (mount) return changedSince(join(mount.source, posix.relative(clean(mount.target), path)), facts.startedAtMs);
    if (facts.imageVolumes.some((v) => within(path, clean(v))))
      return archiveMtimeMs !== undefined && archiveMtimeMs >= Math.floor(facts.startedAtMs / 1000) * 1000;
    return wroteInLayer(path);
  };
}

/** Whether the container's own layer holds `path` (or anything under it). */
async function layerWrites(
  containers: ContainerPort,
  containerId: string,
): Promise<(path: string) => Promise<boolean>> {
  const { upperDir } = await containers.inspect(containerId);
  const local = upperDir !== undefined && (await lstat(upperDir).catch(() => undefined))?.isDirectory() === true;
  if (local) return async (path) => holdsWrite(join(upperDir, path));
  const changed = (await containers.changes(containerId)).filter((c) => c.kind !== 'deleted').map((c) => c.path);
  return async (path) => changed.some((c) => within(c, path));
}

/** A file or folder in an overlay upper directory; a whiteout (a 0/0 character device) marks a deletion. */
async function holdsWrite(upperPath: string): Promise<boolean> {
  const info = await lstat(upperPath).catch(() => undefined);
  return info !== undefined && !(info.isCharacterDevice() && info.rdev === 0);
}

function clean(p: string): string {
  const n = posix.normalize(p);
  return n.length > 1 ? n.replace(/\/+$/, '') : n;
}

function within(path: string, root: string): boolean {
  return path === root || path.startsWith(root === '/' ? '/' : `${root}/`);
}

/** True when the file, or any file under the folder, changed at or after `sinceMs`. */
async function changedSince(hostPath: string, sinceMs: number): Promise<boolean> {
  const info = await lstat(hostPath).catch(() => undefined);
  if (!info) return false;
  if (!info.isDirectory()) return info.ctimeMs >= sinceMs;
  for (const name of await readdir(hostPath).catch(() => [] as string[]))
    if (await changedSince(join(hostPath, name), sinceMs)) return true;
  return false;
}
