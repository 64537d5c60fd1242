/** Removes resources by label: one run's (`cleanupRun`), or those of runs whose runner is gone (`prune`). */
import type Dockerode from 'dockerode';
import type { PruneReport } from '../driver.js';
import { LABEL, labelFilter } from './labels.js';
import { statusOf } from './engine-errors.js';

/** Containers (running or not), networks and volumes matching `filters`; an engine error lists nothing. */
function listLabelled(docker: Dockerode, filters: string) {
  return Promise.all([
    docker.listContainers({ all: true, filters }).catch(() => []),
    docker.listNetworks({ filters }).catch(() => []),
    docker
      .listVolumes({ filters })
      .then((r) => r.Volumes ?? [])
      .catch(() => []),
  ]);
}

/** Removes every container, then network, then volume carrying all `labels`. Never throws. */
export async function removeLabelled(docker: Dockerode, labels: Readonly<Record<string, string>>): Promise<PruneReport> {
  const filters = labelFilter(labels);
  // Listed up front: anonymous volumes go with their containers (`v: true`) and still count.
  const [containers, networks, volumes] = await listLabelled(docker, filters);
  const removedContainers = await countOk(
    containers.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true })),
  );
  const [removedNetworks, removedVolumes] = await Promise.all([
    countOk(networks.map((n) => docker.getNetwork(n.Id).remove())),
    countOk(volumes.map((v) => docker.getVolume(v.Name).remove())),
  ]);
  return { containers: removedContainers, networks: removedNetworks, volumes: removedVolumes };
}

async function countOk(ops: readonly Promise<unknown>[]): Promise<number> {
  const results = await Promise.allSettled(ops);
  // Already gone (404) counts as removed: a concurrent cleanup got there first.
  return results.filter((r) => r.status === 'fulfilled' || statusOf(r.reason) === 404).length;
}

export interface PruneDeps {
  readonly hostname: string;
  /** Whether a process with this pid runs on this host. */
  readonly isAlive: (pid: number) => boolean;
}

export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Finds runs with resources on the engine and removes those whose runner process is gone (on this
 * host: resources of other hosts are never judged), or every run with `all`.
 */
export async function pruneRuns(
  docker: Dockerode,
  filter: { readonly plan?: string; readonly all?: boolean },
  deps: PruneDeps,
): Promise<PruneReport> {
  const select: Record<string, string | undefined> = { [LABEL.run]: undefined };
  if (!filter.all) select[LABEL.host] = deps.hostname;
  if (filter.plan !== undefined) select[LABEL.plan] = filter.plan;
  const filters = labelFilter(select);
  const owners = new Map<string, string | undefined>();
  const note = (labels: Readonly<Record<string, string>> | undefined) => {
    const run = labels?.[LABEL.run];
    if (run) owners.set(run, labels?.[LABEL.pid]);
  };
  const [containers, networks, volumes] = await listLabelled(docker, filters);
  for (const c of containers) note(c.Labels);
  for (const n of networks) note(n.Labels);
  for (const v of volumes) note(v.Labels ?? undefined);

  const gone = [...owners].filter(([, pid]) => {
    if (filter.all) return true;
    const n = Number.parseInt(pid ?? '', 10);
    return !Number.isInteger(n) || n <= 0 || !deps.isAlive(n);
  });
  const reports = await Promise.all(gone.map(([run]) => removeLabelled(docker, { [LABEL.run]: run })));
  return reports.reduce(
    (a, r) => ({ containers: a.containers + r.containers, networks: a.networks + r.networks, volumes: a.volumes + r.volumes }),
    { containers: 0, networks: 0, volumes: 0 },
  );
}
