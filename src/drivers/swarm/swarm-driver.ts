/**
 * The Driver on a Docker Swarm (see README.md): the manager (DOCKER_HOST / context) creates the
 * run's attachable overlay network, one-replica services and replicated-job phases; each node's own
 * engine (NodeEngines) serves what only the node that ran a task can: logs, exec probes, copy-out.
 * Images are built on the manager and pushed to the registry (TESTPLAN_SWARM_REGISTRY).
 */
import { hostname } from 'node:os';
import { readFileSync } from 'node:fs';
import type { ImageSpec, ReadyProbeSpec } from '../../dsl/plan.js';
import { InfrastructureError } from '../../errors.js';
import type {
  CollectedFile,
  Driver,
  DriverInfo,
  ImageHandle,
  PhaseHandle,
  PhaseOutcome,
  PreparedPhase,
  PruneReport,
  ReadyOutcome,
  RunIdentity,
  RunPhaseRequest,
  ServiceCommandOutcome,
  ServiceCommandRequest,
  ServiceExit,
  ServiceHandle,
  StartServiceRequest,
  StepContext,
} from '../driver.js';
import { collectAttempt } from '../docker/archive.js';
import { buildImage, imageTag } from '../docker/build-image.js';
import { engineUnreachable, hostSources } from '../docker/connect.js';
import { createDockerodeEngine, dockerodeOptions } from '../docker/engine/dockerode-engine.js';
import { createDockerodeSwarm } from '../docker/engine/dockerode-swarm.js';
import type { Engine } from '../docker/engine/engine.js';
import { isConflict, isNotFound } from '../docker/engine/engine-error.js';
import type { SwarmPort } from '../docker/engine/swarm.js';
import { resolveEngineEndpoint } from '../docker/endpoint.js';
import { LABEL, networkName, resourceLabels, runLabels } from '../docker/labels.js';
import { outputLines } from '../docker/log-lines.js';
import type { AttemptFacts } from '../docker/phase-writes.js';
import { waitUntilReady } from '../docker/probes/wait-ready.js';
import { processIsAlive } from '../docker/prune.js';
import { resolveImage } from '../docker/pull-image.js';
import { runServiceCommand } from '../docker/service-command.js';
import { realClock, type Clock } from '../shared/clock.js';
import { NOTHING_REMOVED, totalOf } from '../shared/prune-report.js';
import { removeRunEverywhere } from './cleanup.js';
import { NetworkAnchors } from './network-anchor.js';
import { NodeEngines } from './nodes.js';
import { ImageDistribution } from './registry.js';
import { runSwarmPhase, serviceName, taskError, type PlacedTask } from './swarm-phase.js';
import { waitForContainer } from './tasks.js';

export const REGISTRY_ENV = 'TESTPLAN_SWARM_REGISTRY';

export interface SwarmDriverDeps {
  readonly env?: NodeJS.ProcessEnv;
  readonly clock?: Clock;
  readonly hostname?: string;
  readonly isAlive?: (pid: number) => boolean;
  readonly connectTimeoutMs?: number;
}

export class SwarmDriver implements Driver {
  readonly kind = 'swarm' as const;
  /**
   * Builds on the manager; no shared namespace (Swarm tasks cannot join another container's); service
   * mounts are bind mounts, so their sources must exist at the same path on every node. Not
   * content-addressed: phases on a swarm are never cached.
   */
  readonly capabilities = {
    imageBuild: true,
    sharedNamespace: false,
    isolatedNetwork: true,
    serviceMounts: true,
  } as const;
  readonly manager: Engine;
  readonly swarm: SwarmPort;
  readonly nodes: NodeEngines;
  private readonly endpoint: string;
  private readonly images: ImageDistribution;
  private readonly anchors: NetworkAnchors;
  private readonly clock: Clock;
  private readonly hostname: string;
  private readonly isAlive: (pid: number) => boolean;
  private readonly connectTimeoutMs: number;
  /** Service id → where its task's container runs. */
  private readonly placed = new Map<string, PlacedTask>();
  private readonly attempts = new Map<string, AttemptFacts>();
  /** Handles preparePhase gave out: nothing on the swarm stands behind them. */
  private readonly prepared = new Set<string>();

  constructor(deps: SwarmDriverDeps = {}) {
    const env = deps.env ?? process.env;
    const endpoint = resolveEngineEndpoint(hostSources(env));
    const readFile = (path: string) => readFileSync(path);
    this.manager = createDockerodeEngine(endpoint, readFile);
    this.swarm = createDockerodeSwarm(dockerodeOptions(endpoint, readFile));
    this.endpoint = endpoint.description;
    this.nodes = new NodeEngines(this.swarm, env);
    this.images = new ImageDistribution(this.swarm, env[REGISTRY_ENV]?.trim() || undefined);
    this.clock = deps.clock ?? realClock;
    this.hostname = deps.hostname ?? hostname();
    this.isAlive = deps.isAlive ?? processIsAlive;
    this.connectTimeoutMs = deps.connectTimeoutMs ?? 5000;
    this.anchors = new NetworkAnchors({ swarm: this.swarm, nodes: this.nodes, clock: this.clock });
  }

  async describe(): Promise<DriverInfo> {
    const abort = new AbortController();
    const timer = setTimeout(
      () => abort.abort(new Error(`no answer within ${this.connectTimeoutMs} ms`)),
      this.connectTimeoutMs,
    );
    let version: Awaited<ReturnType<Engine['system']['version']>>;
    try {
      version = await this.manager.system.version(abort.signal);
    } catch (cause) {
      throw engineUnreachable(this.endpoint, abort.signal.aborted ? abort.signal.reason : cause);
    } finally {
      clearTimeout(timer);
    }
    const nodes = await this.swarm.nodes().catch((cause: unknown) => {
      throw new InfrastructureError(
        'SWARM_UNAVAILABLE',
        `The engine at ${this.endpoint} is not a Swarm manager (${cause instanceof Error ? cause.message : String(cause)}).\n` +
          `  Point DOCKER_HOST at a manager (bash scripts/swarm.sh up starts a 3-node swarm here), or use --driver docker.`,
        { cause },
      );
    });
    const registry = this.images.registry ? `, registry ${this.images.registry}` : '';
    return {
      kind: 'swarm',
      engine: `Docker Swarm, ${nodes.length} nodes (Docker Engine ${version.version}, API ${version.apiVersion}${registry})`,
    };
  }

  async prepareImage(spec: ImageSpec, ctx: StepContext): Promise<ImageHandle> {
    if (spec.kind === 'build') {
      const built = await buildImage(this.manager.images, spec, ctx);
      const tag = imageTag(ctx.run.plan, spec.name).replace(
        /:latest$/,
        `:${built.ref.replace(/^sha256:/, '').slice(0, 12)}`,
      );
      return this.images.distribute(built, tag);
    }
    const found = await resolveImage(this.manager.images, spec.name, spec.ref, spec.pull, ctx);
    return this.images.distribute(found, spec.ref);
  }

  async resolveImageRef(ref: string, ctx: StepContext): Promise<ImageHandle> {
    return this.images.distribute(await resolveImage(this.manager.images, ref, ref, 'missing', ctx), ref);
  }

  async createNetwork(run: RunIdentity): Promise<void> {
    await this.swarm.createOverlay(networkName(run.runId), { ...runLabels(run), [LABEL.role]: 'network' });
  }

  async startService(req: StartServiceRequest, ctx: StepContext): Promise<ServiceHandle> {
    let serviceId: string | undefined;
    // A phase's or shard's own instance has an alias of its own: its name on the network, and its service's.
    const alias = req.alias ?? req.name;
    // Every node held in the run's network before the first service (network-anchor.ts says why).
    await this.anchors.ensure(ctx.run, req.image.ref, ctx.signal);
    try {
      serviceId = await this.swarm.createService({
        name: serviceName(ctx.run.runId, 'service', alias),
        image: req.image.ref,
        ...(req.command ? { command: req.command } : {}),
        env: req.env,
        labels: resourceLabels(ctx.run, 'service', req.name),
        network: networkName(ctx.run.runId),
        aliases: [alias],
        binds: (req.mounts ?? []).map((m) => ({ source: m.source, target: m.target, readOnly: m.readOnly })),
        job: false,
      });
      const task = await waitForContainer(this.swarm, serviceId, this.clock, ctx.signal);
      if (!task) throw new Error('aborted while Swarm placed it');
      if (!task.containerId || !task.nodeId) throw new Error(taskError(task));
      const node = await this.nodes.engineFor(task.nodeId);
      this.placed.set(serviceId, { serviceId, node, nodeId: task.nodeId, containerId: task.containerId });
      return {
        name: req.name,
        id: serviceId,
        host: alias,
        ...(req.ports[0] !== undefined ? { port: req.ports[0] } : {}),
        published: {},
      };
    } catch (cause) {
      if (serviceId) await this.removeService(serviceId);
      const why = cause instanceof Error ? cause.message : String(cause);
      throw new InfrastructureError(
        'SERVICE_START_FAILED',
        `Service "${req.name}" (image ${req.image.name}) could not start on the swarm: ${why}. Check its image (pushed to the registry?), command and ports.`,
        { cause },
      );
    }
  }

  waitReady(service: ServiceHandle, probe: ReadyProbeSpec, ctx: StepContext): Promise<ReadyOutcome> {
    const placed = this.placedOf(service.id);
    return waitUntilReady(
      {
        engine: placed.node,
        clock: this.clock,
        logTail: (n) => this.serviceLogTail(service, n),
        exitOf: () => this.serviceExit(service),
      },
      // No address: the overlay is not routable from the runner; tcp/http probes run inside the task.
      { containerId: placed.containerId },
      probe,
      ctx.signal,
    );
  }

  /** An exec in the service's task container, through the engine of the node that runs it. */
  runInService(service: ServiceHandle, req: ServiceCommandRequest, ctx: StepContext): Promise<ServiceCommandOutcome> {
    const placed = this.placedOf(service.id);
    return runServiceCommand(placed.node.exec, placed.containerId, req, ctx);
  }

  /** Nothing ahead: Swarm places a job's task only when the job service is created. */
  async preparePhase(req: RunPhaseRequest, ctx: StepContext): Promise<PreparedPhase> {
    const handle = { id: `swarm:${ctx.run.runId}:${req.name}:${req.attempt}:prepared`, name: req.name };
    this.prepared.add(handle.id);
    return { handle };
  }

  async runPhase(req: RunPhaseRequest, ctx: StepContext, prepared?: PreparedPhase): Promise<PhaseOutcome> {
    if (prepared) this.prepared.delete(prepared.handle.id);
    const facts: AttemptFacts = { startedAtMs: Date.now(), mounts: req.mounts, imageVolumes: [] };
    const { outcome, placed } = await runSwarmPhase(
      { swarm: this.swarm, clock: this.clock, engineFor: (id) => this.nodes.engineFor(id) },
      ctx.run,
      req,
      ctx,
    );
    if (placed) {
      this.placed.set(placed.serviceId, placed);
      this.attempts.set(placed.serviceId, facts);
    }
    return outcome;
  }

  /** The node a service's or phase's task ran on (tests check the spread). */
  nodeOf(id: string): string | undefined {
    return this.placed.get(id)?.nodeId;
  }

  async collect(phase: PhaseHandle, paths: readonly string[], destDir: string): Promise<readonly CollectedFile[]> {
    const placed = this.placed.get(phase.id);
    const facts = this.attempts.get(phase.id);
    if (!placed || !facts)
      return paths.map((source) => ({
        source,
        error: `could not copy ${source} out: the phase's task is gone (released already, or it never ran)`,
      }));
    return collectAttempt(placed.node, placed.containerId, facts, paths, destDir);
  }

  async releasePhase(phase: PhaseHandle): Promise<void> {
    if (this.prepared.delete(phase.id)) return;
    this.attempts.delete(phase.id);
    await this.removeService(phase.id);
  }

  async serviceExit(service: ServiceHandle): Promise<ServiceExit | undefined> {
    const placed = this.placedOf(service.id);
    try {
      return (await placed.node.containers.inspect(placed.containerId)).exited;
    } catch (err) {
      if (isNotFound(err)) return { exitCode: null, at: new Date().toISOString() };
      throw err;
    }
  }

  async serviceLogTail(service: ServiceHandle, lines: number): Promise<readonly string[]> {
    const placed = this.placedOf(service.id);
    const out: string[] = [];
    const split = outputLines((line) => out.push(line));
    await placed.node.containers.logs(placed.containerId, { follow: false, tail: lines }, (chunk, stream) =>
      split.push(chunk, stream),
    );
    split.flush();
    return out.slice(-lines);
  }

  async stopService(service: ServiceHandle): Promise<void> {
    await this.removeService(service.id);
  }

  async removeNetwork(run: RunIdentity): Promise<void> {
    await this.anchors.remove(run.runId).catch(() => undefined);
    // Swarm refuses while the tasks' containers still detach: a few tries, then cleanupRun's job.
    for (let attempt = 0; attempt < 25; attempt++) {
      try {
        await this.manager.networks.remove(networkName(run.runId));
        return;
      } catch (err) {
        if (isNotFound(err)) return;
        await this.clock.sleep(200);
      }
    }
  }

  async cleanupRun(run: RunIdentity): Promise<PruneReport> {
    try {
      await this.anchors.remove(run.runId).catch(() => undefined);
      return await removeRunEverywhere(this.manager, this.swarm, await this.nodes.all(), run.runId, this.clock);
    } catch {
      return NOTHING_REMOVED;
    }
  }

  async prune(filter: { readonly plan?: string; readonly all?: boolean }): Promise<PruneReport> {
    const select: Record<string, string | undefined> = { [LABEL.run]: undefined };
    if (!filter.all) select[LABEL.host] = this.hostname;
    if (filter.plan !== undefined) select[LABEL.plan] = filter.plan;
    const owners = new Map<string, string | undefined>();
    const [services, networks] = await Promise.all([
      this.swarm.listServices(select).catch(() => []),
      this.manager.networks.list(select).catch(() => []),
    ]);
    for (const r of [...services, ...networks]) {
      const runId = r.labels[LABEL.run];
      if (runId) owners.set(runId, r.labels[LABEL.pid]);
    }
    const gone = [...owners].filter(([, pid]) => {
      if (filter.all) return true;
      const n = Number.parseInt(pid ?? '', 10);
      return !Number.isInteger(n) || n <= 0 || !this.isAlive(n);
    });
    const nodes = await this.nodes.all();
    const reports: PruneReport[] = [];
    for (const [runId] of gone)
      reports.push(await removeRunEverywhere(this.manager, this.swarm, nodes, runId, this.clock));
    return totalOf(reports);
  }

  private placedOf(id: string): PlacedTask {
    const placed = this.placed.get(id);
    if (!placed) throw new InfrastructureError('SWARM_TASK_UNKNOWN', `No Swarm task is known for service ${id}.`);
    return placed;
  }

  /** The service, then its task's container at once (the node's agent would remove it, but later). */
  private async removeService(serviceId: string): Promise<void> {
    const placed = this.placed.get(serviceId);
    this.placed.delete(serviceId);
    await this.swarm.removeService(serviceId).catch((err: unknown) => {
      if (!isNotFound(err)) throw err;
    });
    if (placed)
      await placed.node.containers.remove(placed.containerId).catch((err: unknown) => {
        if (!isNotFound(err) && !isConflict(err)) throw err;
      });
  }
}
