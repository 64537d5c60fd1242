/**
 * Removing a run from every node: its Swarm services (the manager), their task containers and any
 * labelled volumes (each node's engine: the agents remove containers on their own, but later),
 * then its overlay network (which Swarm refuses while tasks still hold it). Bounded; never throws.
 */
import type { PruneReport } from '../driver.js';
import { NOTHING_REMOVED } from '../shared/prune-report.js';
import type { Engine, LabelSelector } from '../docker/engine/engine.js';
import type { SwarmPort } from '../docker/engine/swarm.js';
import { LABEL } from '../docker/labels.js';
import { removeLabelled } from '../docker/prune.js';
import type { Clock } from '../shared/clock.js';

const SETTLE_MS = 20_000;

export interface SwarmLeftovers {
  readonly services: number;
  readonly containers: number;
  readonly networks: number;
  readonly volumes: number;
}

export async function countLeftovers(
  manager: Engine,
  swarm: SwarmPort,
  nodes: readonly Engine[],
  selector: LabelSelector,
): Promise<SwarmLeftovers> {
  const none = () => [];
  const [services, networks, perNode] = await Promise.all([
    swarm.listServices(selector).catch(none),
    manager.networks.list(selector).catch(none),
    Promise.all(
      nodes.map((n) => Promise.all([n.containers.list(selector).catch(none), n.volumes.list(selector).catch(none)])),
    ),
  ]);
  return {
    services: services.length,
    networks: networks.length,
    containers: perNode.reduce((a, [c]) => a + c.length, 0),
    volumes: perNode.reduce((a, [, v]) => a + v.length, 0),
  };
}

export async function removeRunEverywhere(
  manager: Engine,
  swarm: SwarmPort,
  nodes: readonly Engine[],
  runId: string,
  clock: Clock,
): Promise<PruneReport> {
  const selector = { [LABEL.run]: runId };
  const report = { containers: 0, networks: 0, volumes: 0 };
  const services = await swarm.listServices(selector).catch(() => []);
  await Promise.allSettled(services.map((s) => swarm.removeService(s.id)));
  // One task container per service (counted here: its node's agent may remove it before we list it).
  report.containers += services.length;
  const deadline = clock.now() + SETTLE_MS;
  for (;;) {
    for (const node of nodes) {
      const removed = await removeLabelled(node, selector).catch(() => NOTHING_REMOVED);
      report.volumes += removed.volumes;
      report.networks += removed.networks;
    }
    const networks = await manager.networks.list(selector).catch(() => []);
    for (const n of networks) {
      await manager.networks.remove(n.id).then(
        () => (report.networks += 1),
        () => undefined,
      );
    }
    const left = await countLeftovers(manager, swarm, nodes, selector);
    if (left.services + left.containers + left.networks + left.volumes === 0 || clock.now() > deadline) return report;
    await clock.sleep(200);
  }
}
