/**
 * The boundary between the executor and the technology that runs containers or processes.
 * Only our own types cross it: no dockerode or zx type appears here.
 */
import type { ImageSpec, MountSpec, ReadyProbeSpec } from '../dsl/plan.js';

export type DriverKind = 'docker' | 'local' | 'swarm';

export interface DriverInfo {
  readonly kind: DriverKind;
  /** e.g. `Docker Engine 20.10.24 (API 1.41)` or `local processes (node v20.20.2)`. */
  readonly engine: string;
}

/** Identity of one run: every resource it creates carries these labels. */
export interface RunIdentity {
  readonly runId: string;
  readonly plan: string;
  /** `testplan.run`, `testplan.plan`, `testplan.pid`, `testplan.host`. */
  readonly labels: Readonly<Record<string, string>>;
  /** Output folder of the run (absolute). */
  readonly outDir: string;
}

export interface StepContext {
  readonly run: RunIdentity;
  readonly signal: AbortSignal;
  /** One line of output (no trailing newline). */
  readonly onLog: (line: string, stream: 'stdout' | 'stderr') => void;
}

/** A resolved image a container can start from. */
export interface ImageHandle {
  readonly name: string;
  /** Engine reference: an image id or a tag. */
  readonly ref: string;
  readonly cached: boolean;
}

export interface StartServiceRequest {
  readonly name: string;
  /**
   * Network name of this instance (container name part and network alias, `${name.host}`) when it is one of
   * several instances of the service (`scope: 'phase'`); default `name`.
   */
  readonly alias?: string;
  readonly image: ImageHandle;
  readonly command?: readonly string[];
  /** Secrets revealed: the driver passes them to the container and never logs them. */
  readonly env: Readonly<Record<string, string>>;
  readonly ports: readonly number[];
  /** Join the run's shared network namespace (services on localhost). */
  readonly sharedNamespace: boolean;
  /** Host files bound into the service (see `capabilities.serviceMounts`). */
  readonly mounts?: readonly MountSpec[];
  readonly local?: { readonly command: string; readonly env: Readonly<Record<string, string>> };
}

/** One command run inside a running service (a `setup` command). */
export interface ServiceCommandRequest {
  /** Exec form, templates resolved. */
  readonly command: readonly string[];
  readonly timeoutMs: number;
}

export interface ServiceCommandOutcome {
  /** `null` when it timed out, was aborted or the code is unknown. */
  readonly exitCode: number | null;
  readonly timedOut: boolean;
  readonly aborted: boolean;
  /** Its last output lines (stdout and stderr as they came), unmasked. */
  readonly outputTail: readonly string[];
}

export interface ServiceHandle {
  readonly name: string;
  readonly id: string;
  /** What phases use for `${name.host}`: the network alias under Docker, 127.0.0.1 locally. */
  readonly host: string;
  /** What phases use for `${name.port}`: container port under Docker, the free host port locally. */
  readonly port?: number;
  /** Container port → host port where published (for people debugging with --keep). */
  readonly published: Readonly<Record<number, number>>;
}

/** What a phase needs of a service to reach it: `${name.host}` and `${name.port}`. */
export type ServiceAddress = Pick<ServiceHandle, 'host' | 'port'>;

/** What decides a service instance's address: its name, alias, ports and namespace. */
export type ServiceAddressRequest = Pick<StartServiceRequest, 'name' | 'alias' | 'ports' | 'sharedNamespace'>;

/** How and when a service's container or process ended. */
export interface ServiceExit {
  /** `null` when a signal ended it or the code is unknown. */
  readonly exitCode: number | null;
  /** ISO 8601 time of the exit. */
  readonly at: string;
}

export type ReadyOutcome =
  | { readonly ready: true; readonly elapsedMs: number; readonly probes: number }
  | {
      readonly ready: false;
      readonly reason: 'timeout' | 'exited' | 'retries' | 'aborted';
      readonly elapsedMs: number;
      readonly probes: number;
      readonly lastProbeOutput: string;
      readonly logTail: readonly string[];
      readonly exitCode?: number;
      /** Set with reason `exited`. */
      readonly exitedAt?: string;
    };

export interface RunPhaseRequest {
  readonly name: string;
  /** `phase` or `check`: what the container is for (label only). */
  readonly role: 'phase' | 'check';
  readonly attempt: number;
  readonly image: ImageHandle;
  readonly command: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly workdir?: string;
  readonly mounts: readonly MountSpec[];
  readonly sharedNamespace: boolean;
  readonly timeoutMs?: number;
  /** The paths `collect` will be asked for afterwards, so the driver can tell which this attempt wrote. */
  readonly outputs?: readonly string[];
  readonly local?: { readonly run?: string; readonly workdir?: string };
}

export interface PhaseOutcome {
  readonly exitCode: number | null;
  readonly timedOut: boolean;
  readonly aborted: boolean;
  readonly durationMs: number;
  readonly logTail: readonly string[];
  /** Handle to copy files out of what the phase left behind; release it with `releasePhase`. */
  readonly handle: PhaseHandle;
}

export interface PhaseHandle {
  readonly id: string;
  readonly name: string;
}

export interface PrepareOptions {
  /**
   * False while a phase this one comes after (or takes turns with on an `exclusive` service) may still run:
   * that one may still change the host files this one mounts, even replace a mounted folder, so nothing may
   * bind them yet (Docker: created, not started).
   * Default true.
   */
  readonly mountsSettled: boolean;
}

/** A phase made ready to start ahead of time (`preparePhase`); it belongs to one `runPhase` call. */
export interface PreparedPhase {
  readonly handle: PhaseHandle;
}

export interface CollectedFile {
  /** Path inside the container (as asked). */
  readonly source: string;
  /**
   * Absolute path on the host, or undefined when the source did not exist. Kept under
   * `<destDir>/files/<the path as the phase named it>` (see `collectedPath`), so no two sources collide.
   */
  readonly path?: string;
  /**
   * Whether the attempt that ran last wrote (created or changed) this file, or for a folder
   * something in it; false when it predates the attempt (baked into the image, left by an earlier
   * attempt or run). Set whenever `path` is.
   */
  readonly writtenByPhase?: boolean;
  readonly error?: string;
}

export interface PruneReport {
  readonly containers: number;
  readonly networks: number;
  readonly volumes: number;
}

/**
 * What a driver can do beyond the common contract every driver passes (test/conformance):
 * differences are declared here, and the conformance suite checks each against what it claims.
 */
export interface DriverCapabilities {
  /** Builds images from a context (`images.x.build`); otherwise images are ignored. */
  readonly imageBuild: boolean;
  /** Services and phases can share one network namespace (`localhost`). */
  readonly sharedNamespace: boolean;
  /** Services are isolated from the host: each has its own address and declared ports. */
  readonly isolatedNetwork: boolean;
  /**
   * Service `mounts` are bound into the service. Without it they are not applied (one log line says
   * so): a host process reads the source paths itself.
   */
  readonly serviceMounts: boolean;
  /**
   * An image handle's `ref` is the id of the image's content (`sha256:…`), so a phase's result can be
   * cached under it (src/cache). Absent or false: the driver's phases are never cached.
   */
  readonly contentAddressedImages?: boolean;
}

export interface Driver {
  readonly kind: DriverKind;
  readonly capabilities: DriverCapabilities;
  /** Throws `InfrastructureError` when the engine does not answer. */
  describe(): Promise<DriverInfo>;
  prepareImage(spec: ImageSpec, ctx: StepContext): Promise<ImageHandle>;
  /** An external reference used directly by a service or phase (pull policy `missing`). */
  resolveImageRef(ref: string, ctx: StepContext): Promise<ImageHandle>;
  createNetwork(run: RunIdentity): Promise<void>;
  startService(req: StartServiceRequest, ctx: StepContext): Promise<ServiceHandle>;
  /**
   * Where phases will reach a service started with `req`, when the driver can tell before it starts
   * (Docker: its network alias and first container port), so that phases can be prepared while it
   * starts; its handle then says the same. Undefined when only the running service can tell (a free host port).
   */
  plannedAddress?(req: ServiceAddressRequest): ServiceAddress | undefined;
  waitReady(service: ServiceHandle, probe: ReadyProbeSpec, ctx: StepContext): Promise<ReadyOutcome>;
  /**
   * Runs one command inside a running service with the service's own environment (Docker: an exec;
   * local: a host process with the service's env, in the plan's folder). Output lines go to `ctx.onLog`.
   * Ends it after `timeoutMs`, or when `ctx.signal` aborts.
   */
  runInService(service: ServiceHandle, req: ServiceCommandRequest, ctx: StepContext): Promise<ServiceCommandOutcome>;
  /**
   * Does ahead what `runPhase` does before the phase starts (Docker: create its container; local:
   * nothing), so that a phase waiting for services to get ready or for an earlier phase has less
   * left to do. Hand the result to `runPhase` with the same request, or release it with
   * `releasePhase(prepared.handle)` when the phase will not run (`cleanupRun` removes it too).
   * Nothing counts before the start: the phase's output and its writes are those of its run.
   */
  preparePhase(req: RunPhaseRequest, ctx: StepContext, options?: PrepareOptions): Promise<PreparedPhase>;
  runPhase(req: RunPhaseRequest, ctx: StepContext, prepared?: PreparedPhase): Promise<PhaseOutcome>;
  /** Copies paths out of a finished phase into `destDir`; missing paths are reported, not thrown. */
  collect(phase: PhaseHandle, paths: readonly string[], destDir: string): Promise<readonly CollectedFile[]>;
  releasePhase(phase: PhaseHandle): Promise<void>;
  serviceLogTail(service: ServiceHandle, lines: number): Promise<readonly string[]>;
  /** How the service ended, or undefined while it still runs. */
  serviceExit(service: ServiceHandle): Promise<ServiceExit | undefined>;
  stopService(service: ServiceHandle): Promise<void>;
  removeNetwork(run: RunIdentity): Promise<void>;
  /** Removes everything labelled with this run id (containers, networks, volumes). Never throws. */
  cleanupRun(run: RunIdentity): Promise<PruneReport>;
  /** Removes what runs whose runner process is gone left behind; `plan` narrows to one plan. */
  prune(filter: { readonly plan?: string; readonly all?: boolean }): Promise<PruneReport>;
}
