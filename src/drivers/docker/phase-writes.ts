/**
 * Which collected paths the phase container wrote itself. The container's filesystem diff
 * (`docker diff`: Added/Changed entries) proves the container's own writes: a file baked into
 * the image, whatever its mtime, is not in it, and each attempt runs in a new container. Paths on
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
  const changed = (await containers.changes(containerId)).filter((c) => c.kind !== 'deleted').map((c) => c.path);
  return async (source, archiveMtimeMs) => {
    const path = clean(source);
    const mount = facts.mounts.find((m) => within(path, clean(m.target)));
    if (mount) return changedSince(join(mount.source, posix.relative(clean(mount.target), path)), facts.startedAtMs);
    if (facts.imageVolumes.some((v) => within(path, clean(v))))
      return archiveMtimeMs !== undefined && archiveMtimeMs >= Math.floor(facts.startedAtMs / 1000) * 1000;
    return changed.some((c) => within(c, path));
  };
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
