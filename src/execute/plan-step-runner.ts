/** Maps each step of the graph to Driver calls and records what happened in the RunState. */
import path from 'node:path';
import type { Step } from '../compile/graph.js';
import type { CommandCheckSpec, ImageUse, PhaseSpec, TestPlan } from '../dsl/plan.js';
import { redact } from '../dsl/secret.js';
import { toPlainText } from '../text/ansi.js';
import { ErrorLines } from '../text/error-lines.js';
import type {
  Driver,
  ImageHandle,
  RunIdentity,
  RunPhaseRequest,
  ServiceHandle,
  StepContext,
} from '../drivers/driver.js';
import { InfrastructureError } from '../errors.js';
import type { EventSink, StepRef } from './events.js';
import { PhasePreparer, type AheadRequest } from './phase-preparer.js';
import { resolveCommand, resolveEnv } from './resolve-env.js';
import type { PhaseState, RunState, ServiceState } from './run-state.js';
import type { StepOutcome, StepRunner } from './scheduler.js';

const SERVICE_LOG_TAIL = 50;

export function phaseOutputDir(outDir: string, phase: string): string {
  return path.join(outDir, 'phases', phase);
}

/** The container paths a phase's evidence and artifacts live at. */
export function phaseCollectPaths(phase: PhaseSpec): string[] {
  return [
    ...(phase.results?.path !== undefined ? [phase.results.path] : []),
    ...(phase.coverage ? [phase.coverage.path] : []),
    ...phase.artifacts,
  ];
}

export class PlanStepRunner implements StepRunner {
  private readonly refImages = new Map<string, Promise<ImageHandle>>();
  private readonly preparer: PhasePreparer;

  constructor(
    private readonly plan: TestPlan,
    private readonly driver: Driver,
    private readonly identity: RunIdentity,
    private readonly state: RunState,
    private readonly onEvent: EventSink,
    private readonly sharedNamespace: boolean,
    /** The graph's phases: these are prepared ahead (see PhasePreparer). */
    phases: readonly string[] = [],
  ) {
    this.preparer = new PhasePreparer(driver, phases, (name) => this.requestAhead(name));
  }

  /** Releases what was prepared ahead and never ran (also with `--keep`, which skips teardown). */
  releaseUnused(): Promise<void> {
    return this.preparer.releaseUnused();
  }

  hasWork(step: Step): boolean {
    switch (step.kind) {
      case 'collect-artifacts':
        return this.state.phases.get(step.phase)?.handle !== undefined;
      case 'stop-service':
        return this.state.services.get(step.service)?.handle !== undefined;
      case 'remove-network':
        return this.state.networkCreated;
      default:
        return true;
    }
  }

  async run(step: Step, signal: AbortSignal): Promise<StepOutcome> {
    try {
      return await this.dispatch(step, signal);
    } catch (error) {
      // Whatever a driver throws is the engine or the host failing us: an infrastructure error (exit 3).
      const known = error instanceof InfrastructureError;
      const message = known ? error.message : `${step.id}: ${error instanceof Error ? error.message : String(error)}`;
      if (!signal.aborted) this.state.infraError ??= { code: known ? error.code : 'DRIVER_ERROR', message };
      return { status: 'failed', message };
    }
  }

  private dispatch(step: Step, signal: AbortSignal): Promise<StepOutcome> {
    switch (step.kind) {
      case 'build-image':
        return this.buildImage(step.image, signal);
      case 'create-network':
        return this.createNetwork();
      case 'start-service':
        return this.startService(step.service, signal);
      case 'wait-ready':
        return this.waitReady(step.service, signal);
      case 'run-phase':
        return this.runPhase(step.phase, signal);
      case 'collect-artifacts':
        return this.collect(step.phase);
      case 'run-check':
        return this.runCheck(step.check, signal);
      case 'stop-service':
        return this.stopService(step.service);
      case 'remove-network':
        return this.removeNetwork();
    }
  }

  /**
   * Every line of tool output enters here, once: colours and cursor moves removed (plain output,
   * run.log, results.json and the report show text), then secrets masked.
   */
  private entering(line: string): string {
    return redact(toPlainText(line), this.plan.secrets);
  }

  private context(source: string, signal: AbortSignal, step?: StepRef, errors?: ErrorLines): StepContext {
    return {
      run: this.identity,
      signal,
      onLog: (raw, stream) => {
        const line = this.entering(raw);
        errors?.add(line);
        this.onEvent({ kind: 'log', source, ...(step ? { step } : {}), line, stream });
      },
    };
  }

  private async image(use: ImageUse, signal: AbortSignal): Promise<ImageHandle> {
    if (use.kind === 'plan') {
      const handle = this.state.images.get(use.name);
      if (!handle) throw new Error(`BUG: image ${use.name} used before its build step`);
      return handle;
    }
    let pending = this.refImages.get(use.ref);
    if (!pending) {
      pending = this.driver.resolveImageRef(use.ref, this.context(use.ref, signal));
      this.refImages.set(use.ref, pending);
    }
    return pending;
  }

  private get serviceHandles(): Map<string, ServiceHandle> {
    const handles = new Map<string, ServiceHandle>();
    for (const [name, s] of this.state.services) if (s.handle) handles.set(name, s.handle);
    return handles;
  }

  private async buildImage(name: string, signal: AbortSignal): Promise<StepOutcome> {
    const handle = await this.driver.prepareImage(
      this.plan.images[name]!,
      this.context(`image ${name}`, signal, { kind: 'build-image', subject: name }),
    );
    this.state.images.set(name, handle);
    this.preparer.advance();
    return { status: 'passed', ...(handle.cached ? { message: 'cached' } : {}) };
  }

  private async createNetwork(): Promise<StepOutcome> {
    await this.driver.createNetwork(this.identity);
    this.state.networkCreated = true;
    this.preparer.advance();
    return { status: 'passed' };
  }

  private async startService(name: string, signal: AbortSignal): Promise<StepOutcome> {
    const spec = this.plan.services[name]!;
    const state: ServiceState = { logTail: [] };
    this.state.services.set(name, state);
    const handles = this.serviceHandles;
    const image = await this.image(spec.image, signal);
    state.handle = await this.driver.startService(
      {
        name,
        image,
        ...(spec.command ? { command: resolveCommand(spec.command, handles) } : {}),
        env: resolveEnv(spec.env, handles),
        ports: spec.ports,
        sharedNamespace: this.sharedNamespace,
        ...(spec.local ? { local: { command: spec.local.command, env: resolveEnv(spec.local.env, handles) } } : {}),
      },
      this.context(name, signal, { kind: 'start-service', subject: name }),
    );
    this.preparer.advance();
    return { status: 'passed' };
  }

  private async waitReady(name: string, signal: AbortSignal): Promise<StepOutcome> {
    const spec = this.plan.services[name]!;
    const state = this.state.services.get(name)!;
    const outcome = await this.driver.waitReady(
      state.handle!,
      spec.ready!,
      this.context(name, signal, { kind: 'wait-ready', subject: name }),
    );
    state.ready = outcome;
    if (outcome.ready) return { status: 'passed', message: `ready in ${Math.round(outcome.elapsedMs)} ms` };
    state.logTail = outcome.logTail.map((line) => this.entering(line));
    if (outcome.reason === 'aborted') return { status: 'failed', message: 'cancelled' };
    const why =
      outcome.reason === 'exited'
        ? `it exited with code ${outcome.exitCode ?? 'unknown'}${outcome.exitedAt ? ` at ${outcome.exitedAt}` : ''} before it became ready`
        : `it did not become ready within ${Math.round(outcome.elapsedMs)} ms (${outcome.probes} probes)`;
    const probe = outcome.lastProbeOutput
      ? ` Last probe output: ${this.entering(outcome.lastProbeOutput.trim())}.`
      : '';
    const message = `service ${name}: ${why}.${probe} Check services.${name}.ready and the service log in the report.`;
    this.state.infraError ??= { code: 'SERVICE_NOT_READY', message };
    return { status: 'failed', message };
  }

  private async runPhase(name: string, signal: AbortSignal): Promise<StepOutcome> {
    const spec = this.plan.phases[name]!;
    const state = { attempts: [], collected: [] } as PhaseState;
    this.state.phases.set(name, state);
    const handles = this.serviceHandles;
    const image = await this.image(spec.image, signal);
    const deadBefore = await this.deadServices(spec.services, `phase ${name} could not start`);
    if (deadBefore) return { status: 'failed', message: deadBefore }; // a phase prepared ahead goes with the unused
    let ahead = await this.preparer.take(name);
    for (let attempt = 1; attempt <= spec.retries + 1; attempt++) {
      if (state.handle) await this.driver.releasePhase(state.handle);
      const errors = new ErrorLines();
      const outcome = await this.driver.runPhase(
        this.phaseRequest(name, attempt, image, handles),
        this.context(name, signal, { kind: 'run-phase', subject: name, attempt }, errors),
        ahead,
      );
      ahead = undefined;
      state.handle = outcome.handle;
      state.attempts.push({
        attempt,
        exitCode: outcome.exitCode,
        timedOut: outcome.timedOut,
        aborted: outcome.aborted,
        durationMs: outcome.durationMs,
        logTail: outcome.logTail.map((line) => this.entering(line)),
        errorLines: errors.lines(),
      });
      this.onEvent({
        kind: 'phase-attempt',
        phase: name,
        attempt,
        exitCode: outcome.exitCode,
        timedOut: outcome.timedOut,
      });
      // A service that died under the phase makes whatever it reported unreliable, and a retry pointless.
      const deadDuring = await this.deadServices(spec.services, `it died while phase ${name} ran (attempt ${attempt})`);
      if (deadDuring) return { status: 'failed', message: deadDuring };
      if (outcome.exitCode === 0 && !outcome.timedOut) return { status: 'passed' };
      if (outcome.aborted || signal.aborted) return { status: 'failed', message: 'cancelled' };
    }
    const last = state.attempts.at(-1)!;
    const why = last.timedOut ? `timed out after ${spec.timeoutMs} ms` : `exited with code ${last.exitCode}`;
    return {
      status: 'failed',
      message: `${why}${state.attempts.length > 1 ? ` (attempt ${state.attempts.length})` : ''}`,
    };
  }

  private phaseRequest(
    name: string,
    attempt: number,
    image: ImageHandle,
    handles: ReadonlyMap<string, ServiceHandle>,
  ): RunPhaseRequest {
    const spec = this.plan.phases[name]!;
    return {
      name,
      role: 'phase',
      attempt,
      image,
      command: resolveCommand(spec.command, handles),
      env: resolveEnv(spec.env, handles),
      ...(spec.workdir ? { workdir: spec.workdir } : {}),
      mounts: spec.mounts,
      sharedNamespace: spec.localhost,
      ...(spec.timeoutMs ? { timeoutMs: spec.timeoutMs } : {}),
      outputs: phaseCollectPaths(spec),
      ...(spec.local ? { local: spec.local } : {}),
    };
  }

  /**
   * A phase's first attempt as it will run, once the network, its image and each of its services
   * are there. A phase in the shared namespace is not prepared: it joins whichever service owns it.
   */
  private requestAhead(name: string): Promise<AheadRequest> | undefined {
    const spec = this.plan.phases[name]!;
    if (spec.localhost || !this.state.networkCreated) return undefined;
    if (spec.services.some((s) => this.state.services.get(s)?.handle === undefined)) return undefined;
    const image =
      spec.image.kind === 'plan' ? this.state.images.get(spec.image.name) : this.refImages.get(spec.image.ref);
    if (image === undefined) return undefined;
    const handles = this.serviceHandles;
    const never = new AbortController().signal;
    return Promise.resolve(image).then((handle) => ({
      req: this.phaseRequest(name, 1, handle, handles),
      ctx: this.context(name, never, { kind: 'run-phase', subject: name, attempt: 1 }),
    }));
  }

  /**
   * Asks the driver whether any of `names` has exited. The first dead one is an infrastructure
   * failure (exit 3): it is recorded on the service with its log tail, and its message returned.
   */
  private async deadServices(names: readonly string[], context: string): Promise<string | undefined> {
    let message: string | undefined;
    for (const service of names) {
      const state = this.state.services.get(service);
      if (!state?.handle) continue;
      const exit = state.exit ?? (await this.driver.serviceExit(state.handle));
      if (!exit) continue;
      state.exit = exit;
      state.logTail = (await this.driver.serviceLogTail(state.handle, SERVICE_LOG_TAIL).catch(() => [])).map((l) =>
        this.entering(l),
      );
      const text = `service ${service} exited with code ${exit.exitCode ?? 'unknown (killed by a signal)'} at ${exit.at}: ${context}. Its last log lines are in the report.`;
      this.state.infraError ??= { code: 'SERVICE_EXITED', message: text };
      message ??= text;
    }
    return message;
  }

  private async collect(name: string): Promise<StepOutcome> {
    const state = this.state.phases.get(name)!;
    const handle = state.handle!;
    try {
      state.collected = await this.driver.collect(
        handle,
        phaseCollectPaths(this.plan.phases[name]!),
        phaseOutputDir(this.identity.outDir, name),
      );
    } finally {
      delete state.handle;
      await this.driver.releasePhase(handle);
    }
    const missing = state.collected.filter((f) => !f.path);
    return missing.length
      ? { status: 'passed', message: `not found: ${missing.map((f) => f.source).join(', ')}` }
      : { status: 'passed' };
  }

  private async runCheck(name: string, signal: AbortSignal): Promise<StepOutcome> {
    const spec: CommandCheckSpec = this.plan.checks[name]!;
    const handles = this.serviceHandles;
    const image = await this.image(spec.image, signal);
    const outcome = await this.driver.runPhase(
      {
        name,
        role: 'check',
        attempt: 1,
        image,
        command: resolveCommand(spec.command, handles),
        env: resolveEnv(spec.env, handles),
        mounts: [],
        sharedNamespace: false,
        ...(spec.timeoutMs ? { timeoutMs: spec.timeoutMs } : {}),
      },
      this.context(name, signal, { kind: 'run-check', subject: name }),
    );
    await this.driver.releasePhase(outcome.handle);
    this.state.checks.set(name, {
      exitCode: outcome.exitCode,
      timedOut: outcome.timedOut,
      logTail: outcome.logTail.map((line) => this.entering(line)),
    });
    return outcome.exitCode === 0
      ? { status: 'passed' }
      : { status: 'failed', message: `exited with code ${outcome.exitCode}` };
  }

  private async stopService(name: string): Promise<StepOutcome> {
    const state = this.state.services.get(name)!;
    const handle = state.handle!;
    if (state.logTail.length === 0) {
      state.logTail = (await this.driver.serviceLogTail(handle, SERVICE_LOG_TAIL).catch(() => [])).map((l) =>
        this.entering(l),
      );
    }
    await this.driver.stopService(handle);
    return { status: 'passed' };
  }

  private async removeNetwork(): Promise<StepOutcome> {
    await this.preparer.releaseUnused();
    await this.driver.removeNetwork(this.identity);
    this.state.networkCreated = false;
    return { status: 'passed' };
  }
}
