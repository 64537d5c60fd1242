/**
 * `--driver local`: services and phases run as host processes, each `sh -c` in its own process
 * group. Images do not exist here; networks are the host's loopback.
 */
import { rm } from 'node:fs/promises';
import { platform, arch, tmpdir } from 'node:os';
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
  ServiceExit,
  RunPhaseRequest,
  ServiceCommandOutcome,
  ServiceCommandRequest,
  ServiceHandle,
  StartServiceRequest,
  StepContext,
} from '../driver.js';
import type { ImageSpec, ReadyProbeSpec } from '../../dsl/plan.js';
import { realClock, type Clock } from '../shared/clock.js';
import { NOTHING_REMOVED } from '../shared/prune-report.js';
import { waitUntilReady } from '../shared/wait-ready.js';
import { findFreePort, type FindFreePort } from './free-port.js';
import {
  launchWithZx,
  signalProcessGroup,
  type HostProcess,
  type LaunchProcess,
  type SignalGroup,
} from './host-process.js';
import { matchCounter, startLocalService, watchLines, type LocalService } from './local-service.js';
import { runLocalPhase, type LocalPhase } from './local-phase.js';
import { runLocalServiceCommand } from './local-service-command.js';
import { collectPhaseFiles } from './phase-files.js';
import { onProcessExit, ProcessGroups, terminateGroup, type InstallExitHook } from './process-groups.js';
import { probeOnce } from './ready-probes.js';
import { shortCommandRunner, type RunShortCommand } from './short-command.js';

export interface LocalDriverOptions {
  /** The plan's folder: services and phases run here unless `local.workdir` says otherwise. */
  readonly cwd: string;
  readonly launch?: LaunchProcess;
  readonly signalGroup?: SignalGroup;
  readonly clock?: Clock;
  readonly findFreePort?: FindFreePort;
  /** Environment every process inherits before the plan's own variables. Default: `process.env`. */
  readonly baseEnv?: Readonly<Record<string, string | undefined>>;
  /** Where per-phase `TESTPLAN_OUT` folders are made. Default: the OS temp folder. */
  readonly tempRoot?: string;
  /** Between SIGTERM and SIGKILL when stopping a process group. Default 2 s. */
  readonly graceMs?: number;
  readonly installExitHook?: InstallExitHook;
  readonly host?: { readonly nodeVersion: string; readonly os: string };
}

export class LocalDriver implements Driver {
  readonly kind = 'local' as const;
  /** Host processes share the host's network, have no images and read host files where they are. */
  readonly capabilities = {
    imageBuild: false,
    sharedNamespace: false,
    isolatedNetwork: false,
    serviceMounts: false,
  } as const;
  private readonly cwd: string;
  private readonly launch: LaunchProcess;
  private readonly signalGroup: SignalGroup;
  private readonly clock: Clock;
  private readonly freePort: FindFreePort;
  private readonly baseEnv: Readonly<Record<string, string | undefined>>;
  private readonly tempRoot: string;
  private readonly graceMs: number;
  private readonly host: { readonly nodeVersion: string; readonly os: string };
  private readonly groups: ProcessGroups;
  private readonly runCommand: RunShortCommand;
  private readonly services = new Map<string, LocalService>();
  private readonly phases = new Map<string, LocalPhase>();

  constructor(opts: LocalDriverOptions) {
    this.cwd = opts.cwd;
    this.launch = opts.launch ?? launchWithZx;
    this.signalGroup = opts.signalGroup ?? signalProcessGroup;
    this.clock = opts.clock ?? realClock;
    this.freePort = opts.findFreePort ?? findFreePort;
    this.baseEnv = opts.baseEnv ?? process.env;
    this.tempRoot = opts.tempRoot ?? tmpdir();
    this.graceMs = opts.graceMs ?? 2000;
    this.host = opts.host ?? { nodeVersion: process.version, os: `${platform()} ${arch()}` };
    this.groups = new ProcessGroups(this.signalGroup, opts.installExitHook ?? onProcessExit);
    // Probe commands are not tied to a run; the runner's exit still kills them.
    this.runCommand = shortCommandRunner({
      launch: this.launch,
      signal: this.signalGroup,
      clock: this.clock,
      track: (proc) => this.track('probes', proc),
    });
  }

  async describe(): Promise<DriverInfo> {
    return { kind: 'local', engine: `local processes (node ${this.host.nodeVersion}, ${this.host.os})` };
  }

  async prepareImage(spec: ImageSpec, ctx: StepContext): Promise<ImageHandle> {
    ctx.onLog(
      `image "${spec.name}" is ignored under --driver local: services and phases run as host processes`,
      'stdout',
    );
    return { name: spec.name, ref: spec.kind === 'ref' ? spec.ref : spec.name, cached: true };
  }

  async resolveImageRef(ref: string, ctx: StepContext): Promise<ImageHandle> {
    ctx.onLog(`image ${ref} is ignored under --driver local: services and phases run as host processes`, 'stdout');
    return { name: ref, ref, cached: true };
  }

  /** Everything is on the host's loopback: there is no network to make. */
  async createNetwork(_run: RunIdentity): Promise<void> {}

  async removeNetwork(_run: RunIdentity): Promise<void> {}

  async startService(req: StartServiceRequest, ctx: StepContext): Promise<ServiceHandle> {
    for (const mount of req.mounts ?? []) {
      ctx.onLog(
        `mount ${mount.source} → ${mount.target} is not applied under --driver local: the service is a host process; ` +
          `point services.${req.name}.local.command at ${mount.source} itself`,
        'stdout',
      );
    }
    const port = req.local?.command ? await this.freePort() : 0;
    const service = startLocalService(req, port, ctx, { launch: this.launch, cwd: this.cwd, baseEnv: this.baseEnv });
    this.track(service.runId, service.proc);
    this.services.set(service.handle.id, service);
    return service.handle;
  }

  async waitReady(handle: ServiceHandle, probe: ReadyProbeSpec, ctx: StepContext): Promise<ReadyOutcome> {
    const service = this.serviceOf(handle);
    const counter = probe.kind === 'log' ? matchCounter(service, new RegExp(probe.pattern)) : undefined;
    const target = {
      port: service.port,
      declaredPorts: service.declaredPorts,
      cwd: this.cwd,
      env: service.env,
      countLogMatches: () => counter?.count() ?? 0,
    };
    try {
      return await waitUntilReady(
        probe,
        {
          exited: () => service.exited,
          logTail: async (lines) => service.tail.last(lines),
          attempt: (_signal, timeoutMs) => probeOnce(probe, target, timeoutMs, { runCommand: this.runCommand }),
          // Services tend to print when they start listening: output (for log probes, a matching
          // line) brings the next attempt forward instead of waiting out the backed-off interval.
          onChange: (wake) => watchLines(service, wake, probe.kind === 'log' ? new RegExp(probe.pattern) : undefined),
        },
        ctx.signal,
        this.clock,
      );
    } finally {
      counter?.stop();
    }
  }

  runInService(handle: ServiceHandle, req: ServiceCommandRequest, ctx: StepContext): Promise<ServiceCommandOutcome> {
    return runLocalServiceCommand(this.serviceOf(handle), req, ctx, {
      launch: this.launch,
      signal: this.signalGroup,
      clock: this.clock,
      cwd: this.cwd,
      track: (proc) => this.track(ctx.run.runId, proc),
    });
  }

  /** Nothing to do ahead: a host process is started, and its folders made, by `runPhase`. */
  async preparePhase(req: RunPhaseRequest, ctx: StepContext): Promise<PreparedPhase> {
    return { handle: { id: `local:${ctx.run.runId}:${req.name}:${req.attempt}:prepared`, name: req.name } };
  }

  async runPhase(req: RunPhaseRequest, ctx: StepContext, _prepared?: PreparedPhase): Promise<PhaseOutcome> {
    const { outcome, phase } = await runLocalPhase(req, ctx, {
      launch: this.launch,
      signal: this.signalGroup,
      clock: this.clock,
      cwd: this.cwd,
      baseEnv: this.baseEnv,
      tempRoot: this.tempRoot,
      graceMs: this.graceMs,
      track: (proc) => this.track(ctx.run.runId, proc),
    });
    this.phases.set(phase.handle.id, phase);
    return outcome;
  }

  async collect(handle: PhaseHandle, paths: readonly string[], destDir: string): Promise<readonly CollectedFile[]> {
    const phase = this.phases.get(handle.id);
    if (!phase) {
      return paths.map((source) => ({
        source,
        error: `phase "${handle.name}" was released or never ran under this driver: nothing to collect (this is a bug)`,
      }));
    }
    return collectPhaseFiles(paths, phase.folders, destDir, phase.before);
  }

  async releasePhase(handle: PhaseHandle): Promise<void> {
    const phase = this.phases.get(handle.id);
    if (!phase) return;
    this.phases.delete(handle.id);
    await rm(phase.folders.outDir, { recursive: true, force: true });
  }

  async serviceLogTail(handle: ServiceHandle, lines: number): Promise<readonly string[]> {
    return this.services.get(handle.id)?.tail.last(lines) ?? [];
  }

  async serviceExit(handle: ServiceHandle): Promise<ServiceExit | undefined> {
    return this.services.get(handle.id)?.exit();
  }

  async stopService(handle: ServiceHandle): Promise<void> {
    const service = this.services.get(handle.id);
    if (!service) return;
    await this.stop(service.runId, service.proc);
  }

  /** Kills every process group started for this run and deletes its phase folders. Never throws. */
  async cleanupRun(run: RunIdentity): Promise<PruneReport> {
    const procs = this.groups.forRun(run.runId);
    await Promise.all(procs.map((proc) => this.stop(run.runId, proc).catch(() => undefined)));
    let folders = 0;
    for (const [id, phase] of this.phases) {
      if (phase.runId !== run.runId) continue;
      this.phases.delete(id);
      await rm(phase.folders.outDir, { recursive: true, force: true }).then(
        () => (folders += 1),
        () => undefined,
      );
    }
    for (const [id, service] of this.services) if (service.runId === run.runId) this.services.delete(id);
    return { containers: procs.length, networks: 0, volumes: folders };
  }

  /**
   * Nothing outlives a local run to prune: process groups are killed by `cleanupRun` and, should
   * the runner end first, by its process 'exit' hook; phase folders are deleted with them. Only a
   * runner killed with SIGKILL leaves processes, and their ids died with it.
   */
  async prune(_filter: { readonly plan?: string; readonly all?: boolean }): Promise<PruneReport> {
    return NOTHING_REMOVED;
  }

  private track(runId: string, proc: HostProcess): () => void {
    this.groups.track(runId, proc);
    return () => this.groups.untrack(runId, proc);
  }

  private async stop(runId: string, proc: HostProcess): Promise<void> {
    await terminateGroup(proc, { signal: this.signalGroup, clock: this.clock, graceMs: this.graceMs });
    this.groups.untrack(runId, proc);
  }

  private serviceOf(handle: ServiceHandle): LocalService {
    const service = this.services.get(handle.id);
    if (!service) throw new Error(`bug: service ${handle.name} (${handle.id}) was not started by this local driver`);
    return service;
  }
}
