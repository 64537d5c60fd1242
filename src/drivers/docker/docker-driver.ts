/**
 * The Driver on a Docker Engine, through the engine port (engine/engine.ts). Only our own types
 * cross its methods.
 *
 * Shared namespace (`sharedNamespace: true`, a phase's `localhost`): the first such service of a
 * run owns the network namespace, on the run network under its own alias; later such services
 * and phases join it (`NetworkMode: container:<owner>`) and reach one another on localhost.
 * Joined services have no alias of their own (the engine allows none in that mode), so their
 * `ServiceHandle.host` is the owner's name: it resolves to the namespace's address from inside
 * (same IP) and from phases outside the namespace alike, where 127.0.0.1 would not. Stop the
 * owner last.
 */
import { hostname } from 'node:os';
import type { ImageSpec, ReadyProbeSpec } from '../../dsl/plan.js';
import type {
  CollectedFile,
  Driver,
  DriverInfo,
  ImageHandle,
  PhaseHandle,
  PhaseOutcome,
  PreparedPhase,
  PrepareOptions,
  PruneReport,
  ReadyOutcome,
  RunIdentity,
  RunPhaseRequest,
  ServiceCommandOutcome,
  ServiceCommandRequest,
  ServiceAddress,
  ServiceAddressRequest,
  ServiceExit,
  ServiceHandle,
  StartServiceRequest,
  StepContext,
} from '../driver.js';
import { collectAttempt } from './archive.js';
import { buildImage } from './build-image.js';
import { realClock, type Clock } from '../shared/clock.js';
import { NOTHING_REMOVED, totalOf } from '../shared/prune-report.js';
import { connectEngine, engineUnreachable } from './connect.js';
import type { Engine, ImageInfo } from './engine/engine.js';
import { isConflict, isNotFound } from './engine/engine-error.js';
import { LABEL, networkName } from './labels.js';
import { outputLines } from './log-lines.js';
import { createRunNetwork, removeRunNetwork } from './network.js';
import {
  createPhaseContainer,
  runCreatedPhase,
  startGatedPhase,
  type PhaseContainerOptions,
  type WarmPhase,
} from './phase-container.js';
import { gateEntrypoint } from './phase-gate.js';
import type { AttemptFacts } from './phase-writes.js';
import { waitUntilReady } from './probes/wait-ready.js';
import { processIsAlive, pruneRuns, removeLabelled } from './prune.js';
import { resolveImage } from './pull-image.js';
import { runServiceCommand } from './service-command.js';
import { serviceAddress, startServiceContainer, type StartedService } from './service-container.js';

export interface DockerDriverDeps {
  /** The engine; default: connect as the Docker CLI does (see connect.ts). */
  readonly engine?: Engine;
  /** How the engine was reached, for messages; default derived from `env`. */
  readonly endpoint?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly clock?: Clock;
  readonly hostname?: string;
  readonly isAlive?: (pid: number) => boolean;
  /** How long `describe()` waits for the engine to answer. */
  readonly connectTimeoutMs?: number;
}

/** What the driver needs of an image's config. */
type ImageConfig = Pick<ImageInfo, 'volumes' | 'entrypoint'>;

interface RunState {
  /** The first service started with `sharedNamespace`: later ones and phases join its namespace. */
  namespaceOwner?: Promise<StartedService>;
}

export class DockerDriver implements Driver {
  readonly kind = 'docker' as const;
  readonly capabilities = {
    imageBuild: true,
    sharedNamespace: true,
    isolatedNetwork: true,
    serviceMounts: true,
    contentAddressedImages: true,
  } as const;
  private readonly engine: Engine;
  private readonly endpoint: string;
  private readonly clock: Clock;
  private readonly hostname: string;
  private readonly isAlive: (pid: number) => boolean;
  private readonly connectTimeoutMs: number;
  private readonly runs = new Map<string, RunState>();
  private readonly serviceIps = new Map<string, string | undefined>();
  private readonly imageConfigs = new Map<string, Promise<ImageConfig>>();
  /** Per phase container: what tells the files its attempt wrote from those that predate it. */
  private readonly attempts = new Map<string, AttemptFacts>();
  /** Phase containers made ahead by `preparePhase` until `runPhase` takes them: their run, and the gate of a warm one. */
  private readonly prepared = new Map<string, { readonly runId: string; readonly warm?: WarmPhase }>();
  /** Container removals under way (see `removeContainer`). */
  private readonly removals = new Set<Promise<void>>();

  constructor(deps: DockerDriverDeps = {}) {
    if (deps.engine) {
      this.engine = deps.engine;
      this.endpoint = deps.endpoint ?? 'the configured engine';
    } else {
      const connected = connectEngine(deps.env ?? process.env);
      this.engine = connected.engine;
      this.endpoint = deps.endpoint ?? connected.endpoint;
    }
    this.clock = deps.clock ?? realClock;
    this.hostname = deps.hostname ?? hostname();
    this.isAlive = deps.isAlive ?? processIsAlive;
    this.connectTimeoutMs = deps.connectTimeoutMs ?? 5000;
  }

  async describe(): Promise<DriverInfo> {
    const abort = new AbortController();
    const timer = setTimeout(
      () => abort.abort(new Error(`no answer within ${this.connectTimeoutMs} ms`)),
      this.connectTimeoutMs,
    );
    try {
      const v = await this.engine.system.version(abort.signal);
      return { kind: 'docker', engine: `Docker Engine ${v.version} (API ${v.apiVersion})` };
    } catch (cause) {
      throw engineUnreachable(this.endpoint, abort.signal.aborted ? abort.signal.reason : cause);
    } finally {
      clearTimeout(timer);
    }
  }

  prepareImage(spec: ImageSpec, ctx: StepContext): Promise<ImageHandle> {
    if (spec.kind === 'build') return buildImage(this.engine.images, spec, ctx);
    return resolveImage(this.engine.images, spec.name, spec.ref, spec.pull, ctx);
  }

  resolveImageRef(ref: string, ctx: StepContext): Promise<ImageHandle> {
    return resolveImage(this.engine.images, ref, ref, 'missing', ctx);
  }

  async createNetwork(run: RunIdentity): Promise<void> {
    await createRunNetwork(this.engine.networks, run);
    this.runs.set(run.runId, {});
  }

  async startService(req: StartServiceRequest, ctx: StepContext): Promise<ServiceHandle> {
    const state = this.runState(ctx.run.runId);
    const volumes = await this.volumesOf(req.image.ref);
    const start = (owner?: StartedService) =>
      startServiceContainer(this.engine.containers, ctx.run, req, {
        network: networkName(ctx.run.runId),
        imageVolumes: volumes,
        ...(owner ? { namespaceOwner: owner.handle.id, namespaceOwnerName: owner.handle.host } : {}),
      });
    if (!req.sharedNamespace) return this.remember(await start());
    if (!state.namespaceOwner) {
      const owning = start();
      state.namespaceOwner = owning;
      owning.catch(() => {
        if (state.namespaceOwner === owning) delete state.namespaceOwner;
      });
      return this.remember(await owning);
    }
    const owner = await state.namespaceOwner;
    const started = await start(owner);
    return this.remember({ handle: started.handle, ...(owner.ip ? { ip: owner.ip } : {}) });
  }

  /** A service in the shared namespace is reached at its owner's name, known once the owner started: no plan then. */
  plannedAddress(req: ServiceAddressRequest): ServiceAddress | undefined {
    if (req.sharedNamespace) return undefined;
    return serviceAddress(req);
  }

  waitReady(service: ServiceHandle, probe: ReadyProbeSpec, ctx: StepContext): Promise<ReadyOutcome> {
    const ip = this.serviceIps.get(service.id);
    return waitUntilReady(
      {
        engine: this.engine,
        clock: this.clock,
        logTail: (n) => this.serviceLogTail(service, n),
        exitOf: (id) => this.exitOf(id),
      },
      { containerId: service.id, ...(ip ? { ip } : {}) },
      probe,
      ctx.signal,
    );
  }

  runInService(service: ServiceHandle, req: ServiceCommandRequest, ctx: StepContext): Promise<ServiceCommandOutcome> {
    return runServiceCommand(this.engine.exec, service.id, req, ctx);
  }

  /**
   * Started and held at a gate where the command runs `sh` (phase-gate.ts) and its mounts can be bound now
   * (a bind mount holds the folder or file it found at the start); otherwise created only.
   */
  async preparePhase(req: RunPhaseRequest, ctx: StepContext, options?: PrepareOptions): Promise<PreparedPhase> {
    const { entrypoint } = await this.imageConfig(req.image.ref);
    const bindNow = req.mounts.length === 0 || (options?.mountsSettled ?? true);
    const gate = req.sharedNamespace || !bindNow ? undefined : gateEntrypoint(entrypoint, req.command);
    if (!gate) {
      const handle = await this.createPhase(req, ctx);
      this.prepared.set(handle.id, { runId: ctx.run.runId });
      return { handle };
    }
    const warm = await startGatedPhase(this.engine.containers, ctx.run, req, await this.phaseOptions(req, ctx), gate);
    this.prepared.set(warm.handle.id, { runId: ctx.run.runId, warm });
    return { handle: warm.handle };
  }

  async runPhase(req: RunPhaseRequest, ctx: StepContext, prepared?: PreparedPhase): Promise<PhaseOutcome> {
    const entry = prepared ? this.prepared.get(prepared.handle.id) : undefined;
    if (prepared) this.prepared.delete(prepared.handle.id);
    let ahead = entry ? prepared?.handle : undefined;
    let warm = entry?.warm;
    if (warm?.gone()) {
      // Its gate ended before "go" (the container died or was removed): this attempt starts a new one.
      await this.removeContainer(warm.handle.id);
      ahead = warm = undefined;
    }
    const handle = ahead ?? (await this.createPhase(req, ctx));
    // Taken at the start, not at creation: a file an earlier phase wrote after this container was created predates this attempt.
    const facts: AttemptFacts = {
      startedAtMs: Date.now(),
      mounts: req.mounts,
      imageVolumes: await this.volumesOf(req.image.ref),
    };
    const outcome = await runCreatedPhase(this.engine.containers, this.clock, req, ctx, handle, warm);
    this.attempts.set(outcome.handle.id, facts);
    return outcome;
  }

  private async createPhase(req: RunPhaseRequest, ctx: StepContext): Promise<PhaseHandle> {
    return createPhaseContainer(this.engine.containers, ctx.run, req, await this.phaseOptions(req, ctx));
  }

  private async phaseOptions(req: RunPhaseRequest, ctx: StepContext): Promise<PhaseContainerOptions> {
    const [volumes, owner] = await Promise.all([
      this.volumesOf(req.image.ref),
      this.namespaceOwnerOf(ctx.run.runId, req),
    ]);
    return {
      network: networkName(ctx.run.runId),
      imageVolumes: volumes,
      ...(owner ? { namespaceOwner: owner } : {}),
    };
  }

  async collect(phase: PhaseHandle, paths: readonly string[], destDir: string): Promise<readonly CollectedFile[]> {
    // Unknown attempt (never ran here): nothing counts as written by it.
    const facts = this.attempts.get(phase.id) ?? {
      startedAtMs: Number.POSITIVE_INFINITY,
      mounts: [],
      imageVolumes: [],
    };
    return collectAttempt(this.engine, phase.id, facts, paths, destDir);
  }

  async releasePhase(phase: PhaseHandle): Promise<void> {
    this.attempts.delete(phase.id);
    this.prepared.delete(phase.id);
    await this.removeContainer(phase.id);
  }

  async serviceExit(service: ServiceHandle): Promise<ServiceExit | undefined> {
    return this.exitOf(service.id);
  }

  /** A container that is gone (removed behind our back) is as dead as one that exited. */
  private async exitOf(containerId: string): Promise<ServiceExit | undefined> {
    try {
      return (await this.engine.containers.inspect(containerId)).exited;
    } catch (err) {
      if (isNotFound(err)) return { exitCode: null, at: new Date().toISOString() };
      throw err;
    }
  }

  async serviceLogTail(service: ServiceHandle, lines: number): Promise<readonly string[]> {
    const out: string[] = [];
    const split = outputLines((line) => out.push(line));
    await this.engine.containers.logs(service.id, { follow: false, tail: lines }, (chunk, stream) =>
      split.push(chunk, stream),
    );
    split.flush();
    return out.slice(-lines);
  }

  /** Kill and remove at once: the phases are done and a test service needs no graceful shutdown. */
  async stopService(service: ServiceHandle): Promise<void> {
    await this.removeContainer(service.id);
    this.serviceIps.delete(service.id);
  }

  async removeNetwork(run: RunIdentity): Promise<void> {
    await removeRunNetwork(this.engine.networks, run);
    this.runs.delete(run.runId);
  }

  async cleanupRun(run: RunIdentity): Promise<PruneReport> {
    this.runs.delete(run.runId);
    for (const [id, entry] of this.prepared) if (entry.runId === run.runId) this.prepared.delete(id);
    const reports: PruneReport[] = [];
    // A second pass when teardown steps still running (a forced exit) began removals during the first.
    do {
      await Promise.allSettled([...this.removals]);
      // What is left after a failure goes with `plan prune`.
      reports.push(await removeLabelled(this.engine, { [LABEL.run]: run.runId }).catch(() => NOTHING_REMOVED));
    } while (reports.length < 2 && this.removals.size > 0);
    return totalOf(reports);
  }

  prune(filter: { readonly plan?: string; readonly all?: boolean }): Promise<PruneReport> {
    return pruneRuns(this.engine, filter, { hostname: this.hostname, isAlive: this.isAlive });
  }

  private runState(runId: string): RunState {
    let state = this.runs.get(runId);
    if (!state) {
      state = {};
      this.runs.set(runId, state);
    }
    return state;
  }

  private remember(started: StartedService): ServiceHandle {
    this.serviceIps.set(started.handle.id, started.ip);
    return started.handle;
  }

  private async namespaceOwnerOf(runId: string, req: RunPhaseRequest): Promise<string | undefined> {
    const owning = req.sharedNamespace ? this.runs.get(runId)?.namespaceOwner : undefined;
    if (!owning) return undefined;
    return (await owning).handle.id;
  }

  /** The image's declared VOLUMEs. */
  private async volumesOf(ref: string): Promise<readonly string[]> {
    return (await this.imageConfig(ref)).volumes;
  }

  /** What the driver needs of an image's config (one inspect per image and driver). */
  private imageConfig(ref: string): Promise<ImageConfig> {
    let config = this.imageConfigs.get(ref);
    if (!config) {
      config = this.engine.images.inspect(ref).then((info) => info ?? { volumes: [] });
      config.catch(() => this.imageConfigs.delete(ref));
      this.imageConfigs.set(ref, config);
    }
    return config;
  }

  /**
   * Removes a container; one already being removed (409) or gone (404) is no error. `cleanupRun` waits
   * for the removals under way: the engine answers a second remove of the same container at once, before
   * it is gone, and a network cannot go while a container being removed still holds its endpoint.
   */
  private removeContainer(id: string): Promise<void> {
    const removal = this.engine.containers.remove(id).catch((err: unknown) => {
      if (!isNotFound(err) && !isConflict(err)) throw err;
    });
    this.removals.add(removal);
    void removal.then(
      () => this.removals.delete(removal),
      () => this.removals.delete(removal),
    );
    return removal;
  }
}
