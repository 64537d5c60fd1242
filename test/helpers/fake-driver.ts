/** An in-memory Driver that records calls, for unit tests of the scheduler. Never used in engine tests. */
import type {
  CollectedFile,
  Driver,
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
  ServiceExit,
  ServiceAddress,
  ServiceAddressRequest,
  ServiceHandle,
  StartServiceRequest,
  StepContext,
} from '../../src/drivers/driver.js';
import type { ImageSpec, ReadyProbeSpec } from '../../src/dsl/plan.js';
import { InfrastructureError } from '../../src/errors.js';
import { collectedPath } from '../../src/drivers/shared/collected-path.js';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface FakeBehaviour {
  /** Exit codes per attempt (last one repeats); default 0. */
  exitCodes?: Record<string, number[]>;
  /** How long each phase runs, in ms; default 5. */
  durations?: Record<string, number>;
  timedOut?: Record<string, boolean>;
  /** Services (by name, or by host for one instance of a phase-scoped service) that never become ready. */
  notReady?: string[];
  /** How long a service takes to get ready, in ms; default 1. */
  readyMs?: Record<string, number>;
  failBuild?: string[];
  logs?: Record<string, string[]>;
  /** Files the phases leave behind, by container path; `collect` writes them to the run folder. */
  files?: Record<string, string>;
  /** `describe()` fails as an unreachable engine does. */
  unreachable?: boolean;
  /** Collected paths the last attempt did not write (they predate it): `path`, or `phase:path` for one phase. */
  stale?: string[];
  /** Files per phase (by request name, e.g. a shard's `unit-s2`), over `files`. */
  filesByPhase?: Record<string, Record<string, string>>;
  /** Services that exit with this code: at once after starting, or while phase `during` runs. */
  exits?: Record<string, { exitCode: number; during?: string }>;
  /** How long removing a phase container (`releasePhase`) takes, in ms; default 0. */
  releaseMs?: number;
  /** Phases (by request name) whose container cannot be removed. */
  failRelease?: string[];
  /** How long `preparePhase` takes, in ms; default 0. */
  prepareMs?: number;
  /** `plannedAddress` answers: as the started service will be, or with a host it will not have; default none. */
  plannedAddresses?: 'as-started' | 'wrong';
  /** Setup commands (by their last argument) that fail with this code and print these lines. */
  failSetup?: Record<string, { exitCode: number; output: string[] }>;
}

const sleep = (ms: number, signal: AbortSignal): Promise<boolean> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const timer = setTimeout(() => resolve(true), ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve(false);
      },
      { once: true },
    );
  });

export class FakeDriver implements Driver {
  readonly kind = 'docker' as const;
  readonly capabilities = { imageBuild: true, sharedNamespace: true, isolatedNetwork: true, serviceMounts: true };
  readonly calls: string[] = [];
  private readonly ranPhases = new Set<string>();
  readonly requests: RunPhaseRequest[] = [];
  readonly serviceRequests: StartServiceRequest[] = [];
  /** Phases running at once, sampled at every start. */
  maxConcurrent = 0;
  private running = 0;
  private attempts = new Map<string, number>();
  cleanedUp: string[] = [];
  /** Prepared phases (handle ids) neither run nor released yet: what a run would leak. */
  readonly preparedOpen = new Set<string>();
  /** Phases (`name#attempt`) that ran from a prepared handle. */
  readonly ranPrepared: string[] = [];
  /** Most prepared phases waiting at once. */
  maxPreparedOpen = 0;
  readonly preparedRequests: RunPhaseRequest[] = [];
  /** The options each phase was prepared with. */
  readonly prepareOptions = new Map<string, PrepareOptions | undefined>();

  constructor(private readonly behaviour: FakeBehaviour = {}) {}

  async describe() {
    if (this.behaviour.unreachable)
      throw new InfrastructureError('ENGINE_UNREACHABLE', 'the Docker engine does not answer at /var/run/docker.sock');
    return { kind: 'docker' as const, engine: 'Fake Engine 1.0' };
  }
  async prepareImage(spec: ImageSpec, _ctx: StepContext): Promise<ImageHandle> {
    this.calls.push(`build ${spec.name}`);
    if (this.behaviour.failBuild?.includes(spec.name)) {
      throw new InfrastructureError('IMAGE_BUILD_FAILED', `image ${spec.name}: build failed at step 2/3`);
    }
    return { name: spec.name, ref: `sha256:${spec.name}`, cached: false };
  }
  async resolveImageRef(ref: string): Promise<ImageHandle> {
    this.calls.push(`resolve ${ref}`);
    return { name: ref, ref, cached: true };
  }
  async createNetwork(): Promise<void> {
    this.calls.push('network create');
  }
  plannedAddress(req: ServiceAddressRequest): ServiceAddress | undefined {
    const planned = this.behaviour.plannedAddresses;
    if (!planned) return undefined;
    return { host: planned === 'wrong' ? 'elsewhere' : (req.alias ?? req.name), port: req.ports[0] ?? 0 };
  }
  async startService(req: StartServiceRequest): Promise<ServiceHandle> {
    const alias = req.alias ?? req.name;
    this.calls.push(`start ${alias}`);
    this.serviceRequests.push(req);
    return { name: req.name, id: `svc-${alias}`, host: alias, port: req.ports[0] ?? 0, published: {} };
  }
  async waitReady(service: ServiceHandle, _probe: ReadyProbeSpec, ctx: StepContext): Promise<ReadyOutcome> {
    this.calls.push(`ready ${service.host}`);
    if (this.behaviour.notReady?.includes(service.name) || this.behaviour.notReady?.includes(service.host)) {
      return {
        ready: false,
        reason: 'timeout',
        elapsedMs: 1000,
        probes: 20,
        lastProbeOutput: 'connection refused',
        logTail: ['booting…'],
      };
    }
    if (!(await sleep(this.behaviour.readyMs?.[service.name] ?? 1, ctx.signal)))
      return { ready: false, reason: 'aborted', elapsedMs: 1, probes: 1, lastProbeOutput: '', logTail: [] };
    this.calls.push(`ready ${service.name} done`);
    return { ready: true, elapsedMs: 12, probes: 2 };
  }
  async runInService(
    service: ServiceHandle,
    req: ServiceCommandRequest,
    ctx: StepContext,
  ): Promise<ServiceCommandOutcome> {
    const last = req.command.at(-1) ?? '';
    this.calls.push(`setup ${service.name}: ${last}`);
    const failing = this.behaviour.failSetup?.[last];
    for (const line of failing?.output ?? [`ran ${last}`]) ctx.onLog(line, 'stdout');
    return {
      exitCode: failing?.exitCode ?? 0,
      timedOut: false,
      aborted: false,
      outputTail: failing?.output ?? [`ran ${last}`],
    };
  }
  async preparePhase(req: RunPhaseRequest, _ctx: StepContext, options?: PrepareOptions): Promise<PreparedPhase> {
    this.calls.push(`prepare ${req.name}`);
    this.prepareOptions.set(req.name, options);
    if (this.behaviour.prepareMs) await new Promise((r) => setTimeout(r, this.behaviour.prepareMs));
    this.calls.push(`prepared ${req.name}`);
    const handle = { id: `${req.name}#prepared`, name: req.name };
    this.preparedOpen.add(handle.id);
    this.preparedRequests.push(req);
    this.maxPreparedOpen = Math.max(this.maxPreparedOpen, this.preparedOpen.size);
    return { handle };
  }
  async runPhase(req: RunPhaseRequest, ctx: StepContext, prepared?: PreparedPhase): Promise<PhaseOutcome> {
    const n = (this.attempts.get(req.name) ?? 0) + 1;
    this.attempts.set(req.name, n);
    this.calls.push(`run ${req.name}#${n}`);
    if (prepared) {
      if (!this.preparedOpen.delete(prepared.handle.id))
        throw new Error(`${prepared.handle.id} ran twice or after release`);
      this.ranPrepared.push(`${req.name}#${n}`);
    }
    this.requests.push(req);
    this.running++;
    this.maxConcurrent = Math.max(this.maxConcurrent, this.running);
    for (const line of this.behaviour.logs?.[req.name] ?? []) ctx.onLog(line, 'stdout');
    const finished = await sleep(this.behaviour.durations?.[req.name] ?? 5, ctx.signal);
    this.running--;
    this.ranPhases.add(req.name);
    const codes = this.behaviour.exitCodes?.[req.name] ?? [0];
    const exitCode = finished ? (codes[Math.min(n, codes.length) - 1] ?? 0) : 137;
    return {
      exitCode,
      timedOut: this.behaviour.timedOut?.[req.name] ?? false,
      aborted: !finished,
      durationMs: 5,
      logTail: this.behaviour.logs?.[req.name] ?? [],
      handle: { id: `${req.name}#${n}`, name: req.name },
    };
  }
  async collect(phase: PhaseHandle, paths: readonly string[], destDir: string): Promise<readonly CollectedFile[]> {
    this.calls.push(`collect ${phase.id}`);
    const writtenByPhase = (source: string) =>
      !this.behaviour.stale?.includes(source) && !this.behaviour.stale?.includes(`${phase.name}:${source}`);
    const own = this.behaviour.filesByPhase?.[phase.name];
    const files = own || this.behaviour.files ? { ...this.behaviour.files, ...own } : undefined;
    if (!files)
      return paths.map((source) => ({
        source,
        path: collectedPath(destDir, source),
        writtenByPhase: writtenByPhase(source),
      }));
    return Promise.all(
      paths.map(async (source) => {
        const content = files[source];
        if (content === undefined) return { source, error: `${source} does not exist in the container` };
        const file = collectedPath(destDir, source);
        await mkdir(path.dirname(file), { recursive: true });
        await writeFile(file, content);
        return { source, path: file, writtenByPhase: writtenByPhase(source) };
      }),
    );
  }
  async releasePhase(phase: PhaseHandle): Promise<void> {
    this.calls.push(`release ${phase.id}`);
    this.preparedOpen.delete(phase.id);
    if (this.behaviour.releaseMs) await sleep(this.behaviour.releaseMs, new AbortController().signal);
    if (this.behaviour.failRelease?.includes(phase.name))
      throw new InfrastructureError('ENGINE_FAILED', `container of ${phase.name} could not be removed`);
    this.calls.push(`released ${phase.id}`);
  }
  async serviceLogTail(): Promise<readonly string[]> {
    return ['service log line'];
  }
  async serviceExit(service: ServiceHandle): Promise<ServiceExit | undefined> {
    const exit = this.behaviour.exits?.[service.name];
    if (!exit || (exit.during !== undefined && !this.ranPhases.has(exit.during))) return undefined;
    return { exitCode: exit.exitCode, at: '2026-01-01T00:00:00.000Z' };
  }
  async stopService(service: ServiceHandle): Promise<void> {
    this.calls.push(`stop ${service.host}`);
  }
  async removeNetwork(): Promise<void> {
    this.calls.push('network remove');
  }
  async cleanupRun(run: RunIdentity): Promise<PruneReport> {
    this.cleanedUp.push(run.runId);
    return { containers: 0, networks: 0, volumes: 0 };
  }
  async prune(): Promise<PruneReport> {
    return { containers: 0, networks: 0, volumes: 0 };
  }
}
