/**
 * Each node's own engine, for what only the node that ran a task can do: exec (readiness probes in
 * the service's task), logs, the archive of a finished phase's container (copy-out) and its
 * filesystem diff (stale evidence). A node names its engine in the label `testplan.engine`
 * (`unix://…`, `tcp://host:2376` with the usual DOCKER_TLS_VERIFY/DOCKER_CERT_PATH); scripts/swarm.sh
 * sets it on every node.
 */
import { readFileSync } from 'node:fs';
import { InfrastructureError } from '../../errors.js';
import { connectEngine, hostSources } from '../docker/connect.js';
import { dockerodeOptions } from '../docker/engine/dockerode-engine.js';
import { createDockerodeSwarm } from '../docker/engine/dockerode-swarm.js';
import type { Engine } from '../docker/engine/engine.js';
import type { SwarmPort } from '../docker/engine/swarm.js';
import { resolveEngineEndpoint } from '../docker/endpoint.js';

export const ENGINE_LABEL = 'testplan.engine';

export class NodeEngines {
  private readonly engines = new Map<string, Engine>();
  /** The Swarm side of each node's own engine: what its NetworkDB knows (`networkPeers`). */
  private readonly views = new Map<string, SwarmPort>();

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

  /** The Swarm port of a node's own engine (undefined for a node without the label). */
  async swarmOf(nodeId: string): Promise<SwarmPort | undefined> {
    if (!this.views.has(nodeId)) await this.refresh();
    return this.views.get(nodeId);
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
      const env = { DOCKER_HOST: address, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH };
      this.engines.set(node.id, connectEngine(env).engine);
      const endpoint = resolveEngineEndpoint(hostSources(env));
      this.views.set(node.id, createDockerodeSwarm(dockerodeOptions(endpoint, (path) => readFileSync(path))));
    }
  }
}
