/**
 * Each node's own engine, for what only the node that ran a task can do: exec (readiness probes in
 * the service's task), logs, the archive of a finished phase's container (copy-out) and its
 * filesystem diff (stale evidence). A node names its engine in the label `testplan.engine`
 * (`unix://…`, `tcp://host:2376` with the usual DOCKER_TLS_VERIFY/DOCKER_CERT_PATH); scripts/swarm.sh
 * sets it on every node.
 */
import { InfrastructureError } from '../../errors.js';
import { connectEngine } from '../docker/connect.js';
import type { Engine } from '../docker/engine/engine.js';
import type { SwarmPort } from '../docker/engine/swarm.js';

export const ENGINE_LABEL = 'testplan.engine';

export class NodeEngines {
  private readonly engines = new Map<string, Engine>();

  constructor(
    private readonly swarm: SwarmPort,
    private readonly env: Readonly<Record<string, string | undefined>>,
  ) {}

  async engineFor(nodeId: string): Promise<Engine> {
    const known = this.engines.get(nodeId);
    if (known) return known;
    await this.refresh();
    const engine = this.engines.get(nodeId);
    if (engine) return engine;
    throw new InfrastructureError(
      'SWARM_NODE_UNREACHABLE',
      `Swarm node ${nodeId} has no label ${ENGINE_LABEL}=<its engine address>: the driver cannot reach the ` +
        `node's engine for logs, probes and copy-out.\n` +
        `  Label every node: docker node update --label-add ${ENGINE_LABEL}=tcp://<node>:2376 <node>`,
    );
  }

  /** The engines of every labelled node. */
  async all(): Promise<Engine[]> {
    await this.refresh();
    return [...this.engines.values()];
  }

  private async refresh(): Promise<void> {
    for (const node of await this.swarm.nodes()) {
      const address = node.labels[ENGINE_LABEL];
      if (!address || this.engines.has(node.id)) continue;
      const { DOCKER_TLS_VERIFY, DOCKER_CERT_PATH } = this.env;
      this.engines.set(node.id, connectEngine({ DOCKER_HOST: address, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH }).engine);
    }
  }
}
