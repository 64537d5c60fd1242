/** Removes resources by label: one run's (`cleanupRun`), or those of runs whose runner is gone (`prune`). */
import type { PruneReport } from '../driver.js';
import { totalOf } from '../shared/prune-report.js';
import type { Engine, LabelSelector } from './engine/engine.js';
import { isNotFound } from './engine/engine-error.js';
import { LABEL } from './labels.js';

/** Containers (running or not), networks and volumes matching `selector`; an engine error lists nothing. */
function listLabelled(engine: Engine, selector: LabelSelector) {
  return Promise.all([
    engine.containers.list(selector).catch(() => []),
    engine.networks.list(selector).catch(() => []),
    engine.volumes.list(selector).catch(() => []),
  ]);
}

/** Removes every container, then network, then volume carrying all `labels`. Never throws. */
export async function removeLabelled(engine: Engine, labels: Readonly<Record<string, string>>): Promise<PruneReport> {
  // Listed up front: anonymous volumes go with their containers and still count.
  const [containers, networks, volumes] = await listLabelled(engine, labels);
  const removedContainers = await countOk(containers.map((c) => engine.containers.remove(c.id)));
  const [removedNetworks, removedVolumes] = await Promise.all([
    countOk(networks.map((n) => engine.networks.remove(n.id))),
    countOk(volumes.map((v) => engine.volumes.remove(v.id))),
  ]);
  return { containers: removedContainers, networks: removedNetworks, volumes: removedVolumes };
}

async function countOk(ops: readonly Promise<unknown>[]): Promise<number> {
  const results = await Promise.allSettled(ops);
  // Already gone (404) counts as removed: a concurrent cleanup got there first.
  return results.filter((r) => r.status === 'fulfilled' || isNotFound(r.reason)).length;
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
  engine: Engine,
  filter: { readonly plan?: string; readonly all?: boolean },
  deps: PruneDeps,
): Promise<PruneReport> {
  const select: Record<string, string | undefined> = { [LABEL.run]: undefined };
  if (!filter.all) select[LABEL.host] = deps.hostname;
  if (filter.plan !== undefined) select[LABEL.plan] = filter.plan;
  const owners = new Map<string, string | undefined>();
  const note = (labels: Readonly<Record<string, string>> | undefined) => {
    const run = labels?.[LABEL.run];
    if (run) owners.set(run, labels?.[LABEL.pid]);
  };
  const [containers, networks, volumes] = await listLabelled(engine, select);
  for (const c of containers) note(c.labels);
  for (const n of networks) note(n.labels);
  for (const v of volumes) note(v.labels);

  const gone = [...owners].filter(([, pid]) => {
    if (filter.all) return true;
    const n = Number.parseInt(pid ?? '', 10);
    return !Number.isInteger(n) || n <= 0 || !deps.isAlive(n);
  });
  const reports = await Promise.all(gone.map(([run]) => removeLabelled(engine, { [LABEL.run]: run })));
  return totalOf(reports);
}
