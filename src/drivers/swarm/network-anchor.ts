/**
 * Every node of the swarm joined to the run's overlay network from the run's first service to its end,
 * and every node's NetworkDB knowing every other as joined, before that service's task starts.
 *
 * Why: a node learns where an overlay address lives (the VXLAN forwarding and neighbour entries of the
 * network's namespace) only from NetworkDB gossip, and a node refuses every entry whose owner it does not
 * believe joined to the network. Docker Engine (seen on 20.10; upstream fixes moby/moby#50342, #53437)
 * loses entries for good when a node leaves the network as its last task there ends and rejoins a moment
 * later for the next one, or joins while another node joins too: the entry of a service's task never
 * reaches the node of the phase that calls it (or the phase's never reaches the service's node), so the
 * phase's SYNs go unanswered (`fetch failed` after a 10 s connect timeout) while both tasks look healthy.
 * One idle task per node (a global service) keeps every node in the network, so none leaves and rejoins;
 * waiting until each node lists every anchored node as a peer closes the join window.
 */
import { InfrastructureError } from '../../errors.js';
import type { RunIdentity } from '../driver.js';
import { isNotFound } from '../docker/engine/engine-error.js';
import type { SwarmPort } from '../docker/engine/swarm.js';
import { networkName, resourceLabels } from '../docker/labels.js';
import type { Clock } from '../shared/clock.js';
import type { NodeEngines } from './nodes.js';
import { serviceName, taskError } from './swarm-phase.js';
import { taskEnded } from './tasks.js';

/** Idles until stopped; exits at once on SIGTERM (sh as pid 1 ignores it otherwise). */
const IDLE = `trap 'exit 0' TERM; while :; do sleep 3600 & wait $!; done`;
const POLL_MS = 100;
/** Placing the idle tasks (the image is already in the registry) and gossip settling; seconds here. */
const SETTLE_MS = 60_000;

export interface AnchorDeps {
  readonly swarm: SwarmPort;
  readonly nodes: Pick<NodeEngines, 'swarmOf'>;
  readonly clock: Clock;
}

/** An anchor task that ended: its image cannot idle (no `sh`) or cannot run there; another image may. */
class AnchorEnded extends Error {}

export class NetworkAnchors {
  /** Run id → its anchor service id once anchored, undefined while none could start (yet). */
  private readonly runs = new Map<string, Promise<string | undefined>>();
  /** Run id → images its anchor was tried with. */
  private readonly tried = new Map<string, Set<string>>();

  constructor(private readonly deps: AnchorDeps) {}

  /**
   * Anchors the run's network once, with an image a task of the run uses (it needs `sh`). An image that
   * cannot idle leaves the run unanchored until a later task brings another; a network whose nodes do not
   * come to know each other is an infrastructure error.
   */
  async ensure(run: RunIdentity, image: string, signal: AbortSignal): Promise<void> {
    const tried = this.tried.get(run.runId) ?? new Set<string>();
    this.tried.set(run.runId, tried);
    const before = this.runs.get(run.runId);
    if (before && (await before) !== undefined) return;
    if (tried.has(image)) return;
    tried.add(image);
    const anchoring = this.anchor(run, image, signal);
    this.runs.set(
      run.runId,
      anchoring.catch(() => undefined),
    );
    await anchoring;
  }

  /** Removes the run's anchor service (its tasks leave the network, which can then be removed). */
  async remove(runId: string): Promise<void> {
    const anchoring = this.runs.get(runId);
    this.runs.delete(runId);
    this.tried.delete(runId);
    const id = await anchoring;
    if (id)
      await this.deps.swarm.removeService(id).catch((err: unknown) => {
        if (!isNotFound(err)) throw err;
      });
  }

  private async anchor(run: RunIdentity, image: string, signal: AbortSignal): Promise<string | undefined> {
    const { swarm, clock } = this.deps;
    const network = networkName(run.runId);
    const id = await swarm.createService({
      name: serviceName(run.runId, 'network', 'anchor'),
      image,
      command: ['sh', '-c', IDLE],
      env: {},
      labels: resourceLabels(run, 'network', 'anchor'),
      network,
      aliases: [],
      binds: [],
      job: false,
      global: true,
    });
    try {
      const deadline = clock.now() + SETTLE_MS;
      let waiting = 'its tasks to run';
      for (;;) {
        if (signal.aborted) return id;
        const why = await this.unsettled(id, network);
        if (why === undefined) return id;
        waiting = why;
        if (clock.now() > deadline) break;
        await clock.sleep(POLL_MS, signal);
      }
      throw new InfrastructureError(
        'SWARM_NETWORK_UNSETTLED',
        `The run's overlay network ${network} did not settle on the swarm within ${SETTLE_MS / 1000} s: waited for ${waiting}.\n` +
          `  Tasks on different nodes could not reach each other. Check that the nodes reach each other on ` +
          `7946/tcp+udp (gossip) and 4789/udp (VXLAN), and \`docker node ls\`.`,
      );
    } catch (err) {
      await swarm.removeService(id).catch(() => undefined);
      if (err instanceof AnchorEnded) return undefined;
      throw err;
    }
  }

  /** What the anchoring still waits for, or undefined once every schedulable node is in and known to all. */
  private async unsettled(serviceId: string, network: string): Promise<string | undefined> {
    const { swarm, nodes } = this.deps;
    const [tasks, all] = await Promise.all([swarm.tasks(serviceId), swarm.nodes()]);
    const members = all.filter((n) => n.schedulable);
    for (const node of members) {
      const task = tasks.filter((t) => t.nodeId === node.id).sort((a, b) => Date.parse(b.at) - Date.parse(a.at))[0];
      if (task && taskEnded(task)) throw new AnchorEnded(taskError(task));
      if (task?.state !== 'running') return `its task on node ${node.hostname} (${node.address}) to run`;
    }
    for (const node of members) {
      const view = await nodes.swarmOf(node.id);
      if (!view) continue; // a node without its engine label: nothing to ask
      const peers = (await view.networkPeers(network)) ?? [];
      const missing = members.filter((m) => !peers.includes(m.address)).map((m) => m.address);
      if (missing.length > 0)
        return `node ${node.hostname} (${node.address}) to see ${missing.join(', ')} joined (it sees ${peers.join(', ') || 'none'})`;
    }
    return undefined;
  }
}
