/** Maps each step of the graph to Driver calls and records what happened in the RunState. */
import type { Step } from '../compile/graph.js';
import {
  instanceAlias,
  instanceFor,
  instanceKey,
  instanceLabel,
  instanceOf,
  type ServiceInstance,
} from '../compile/service-instances.js';
import type { CommandCheckSpec, ImageUse, TestPlan } from '../dsl/plan.js';
import { phaseCollectPaths, phaseOutputDir } from './phase-paths.js';
import { redact } from '../dsl/secret.js';
import { toPlainText } from '../text/ansi.js';
import { ErrorLines } from '../text/error-lines.js';
import type {
  Driver,
  ImageHandle,
  RunIdentity,
  RunPhaseRequest,
  ServiceAddress,
  ServiceAddressRequest,
  ServiceHandle,
  StepContext,
} from '../drivers/driver.js';
import { InfrastructureError } from '../errors.js';
import { instanceRef, type EventSink, type StepRef } from './events.js';
import { handlesFor } from './instance-handles.js';
import { PhasePreparer, type AheadRequest } from './phase-preparer.js';
import { resolveCommand, resolveEnv } from './resolve-env.js';
import type { PhaseState, RunState, ServiceState } from './run-state.js';
import { notReadyReason, startServiceRequest } from './service-request.js';
import { runServiceSetup, setupFailureMessage } from './service-setup.js';
import type { StepOutcome, StepRunner } from './scheduler.js';
import { runShardedPhase } from './run-shards.js';
import type { RunHistory } from './run-history.js';
import type { Slots } from './slots.js';

const SERVICE_LOG_TAIL = 50;
/**
 * A service that took this long to be ready (and set up) in the last run starts before the containers
 * of the phases that use it: they start during its readiness wait instead, which is long enough for them.
 * Started side by side (the default, and for quick services), the engine finishes the containers in its
 * own order, and the service's readiness may begin a container start later (~250 ms for PostgreSQL here).
 */
export const SLOW_TO_READY_MS = 300;

export { phaseCollectPaths, phaseOutputDir } from './phase-paths.js';

export class PlanStepRunner implements StepRunner {
  private readonly refImages = new Map<string, Promise<ImageHandle>>();
  private readonly preparer: PhasePreparer;
  private readonly phasesHere: ReadonlySet<string>;
  /** Phases whose run-phase step has ended (passed, failed or cancelled). */
  private readonly phasesDone = new Set<string>();
  private historyRead: RunHistory | undefined;
  /** Phase containers being removed: collecting does not wait for them, removing the network does. */
  private readonly removals: Promise<void>[] = [];

  constructor(
    private readonly plan: TestPlan,
    private readonly driver: Driver,
    private readonly identity: RunIdentity,
    private readonly state: RunState,
    private readonly onEvent: EventSink,
    private readonly sharedNamespace: boolean,
    /** What the last run measured (per-file durations of sharded phases, services' time to be ready), being read. */
    private readonly history?: Promise<RunHistory>,
    /** The phases that run here (the graph's), in graph order; the unsharded ones are prepared ahead (see PhasePreparer). */
    phasesHere: readonly string[] = [],
  ) {
    this.phasesHere = new Set(phasesHere);
    // The run never waits for the history to start: until it is read, no service counts as slow.
    void history?.then((read) => (this.historyRead = read));
    const prepared = phasesHere.filter((p) => !plan.phases[p]!.shard);
    this.preparer = new PhasePreparer(driver, prepared, (name) => this.requestAhead(name));
  }

  /** Releases what was prepared ahead and never ran (also with `--keep`, which skips teardown). */
  async releaseUnused(): Promise<void> {
    await Promise.allSettled(this.removals);
    await this.preparer.releaseUnused();
  }

  hasWork(step: Step): boolean {
    switch (step.kind) {
      case 'collect-artifacts':
        return this.state.phases.get(step.phase)?.handle !== undefined;
      case 'stop-service':
        return this.state.services.get(instanceKey(instanceOf(step)))?.handle !== undefined;
      case 'remove-network':
        return this.state.networkCreated;
      default:
        return true;
    }
  }

  async run(step: Step, signal: AbortSignal, slots: Slots): Promise<StepOutcome> {
    try {
      return await this.dispatch(step, signal, slots);
    } catch (error) {
      // Whatever a driver throws is the engine or the host failing us: an infrastructure error (exit 3).
      const known = error instanceof InfrastructureError;
      const message = known ? error.message : `${step.id}: ${error instanceof Error ? error.message : String(error)}`;
      if (!signal.aborted) this.state.infraError ??= { code: known ? error.code : 'DRIVER_ERROR', message };
      return { status: 'failed', message };
    }
  }

  private dispatch(step: Step, signal: AbortSignal, slots: Slots): Promise<StepOutcome> {
    switch (step.kind) {
      case 'build-image':
        return this.buildImage(step.image, signal);
      case 'create-network':
        return this.createNetwork();
      case 'start-service':
        return this.startService(instanceOf(step), signal);
      case 'wait-ready':
        return this.waitReady(instanceOf(step), signal);
      case 'setup-service':
        return this.setupService(instanceOf(step), signal);
      case 'run-phase':
        return (
          this.plan.phases[step.phase]!.shard
            ? this.runShards(step.phase, signal, slots)
            : this.runPhase(step.phase, signal)
        ).finally(() => this.phasesDone.add(step.phase));
      case 'collect-artifacts':
        return this.collect(step.phase);
      case 'run-check':
        return this.runCheck(step.check, signal);
      case 'stop-service':
        return this.stopService(instanceOf(step));
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

  /** The service handles `owner` (a phase, or undefined for the run) reaches by name. */
  private handles(owner?: string): Map<string, ServiceHandle> {
    return handlesFor(this.plan, this.state.services, owner);
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

  private async startService(instance: ServiceInstance, signal: AbortSignal): Promise<StepOutcome> {
    const name = instance.service;
    const spec = this.plan.services[name]!;
    const state: ServiceState = { logTail: [] };
    this.state.services.set(instanceKey(instance), state);
    const handles = this.handles(instance.forPhase);
    const image = await this.image(spec.image, signal);
    state.handle = await this.driver.startService(
      startServiceRequest(name, spec, image, handles, this.addressRequest(instance)),
      this.context(instanceLabel(instance), signal, instanceRef('start-service', instance)),
    );
    this.preparer.advance();
    return { status: 'passed' };
  }

  /** What decides where phases reach a service instance. */
  private addressRequest(instance: ServiceInstance): ServiceAddressRequest {
    return {
      name: instance.service,
      ...(instance.forPhase !== undefined ? { alias: instanceAlias(instance) } : {}),
      ports: this.plan.services[instance.service]!.ports,
      sharedNamespace: this.sharedNamespace,
    };
  }

  private async waitReady(instance: ServiceInstance, signal: AbortSignal): Promise<StepOutcome> {
    const name = instanceLabel(instance);
    const spec = this.plan.services[instance.service]!;
    const state = this.state.services.get(instanceKey(instance))!;
    const outcome = await this.driver.waitReady(
      state.handle!,
      spec.ready!,
      this.context(name, signal, instanceRef('wait-ready', instance)),
    );
    state.ready = outcome;
    if (outcome.ready) return { status: 'passed', message: `ready in ${Math.round(outcome.elapsedMs)} ms` };
    state.logTail = outcome.logTail.map((line) => this.entering(line));
    if (outcome.reason === 'aborted') return { status: 'failed', message: 'cancelled' };
    const why = `it ${notReadyReason(outcome)}`;
    const probe = outcome.lastProbeOutput
      ? ` Last probe output: ${this.entering(outcome.lastProbeOutput.trim())}.`
      : '';
    const message = `service ${name}: ${why}.${probe} Check services.${instance.service}.ready and the service log in the report.`;
    this.state.infraError ??= { code: 'SERVICE_NOT_READY', message };
    return { status: 'failed', message };
  }

  private async setupService(instance: ServiceInstance, signal: AbortSignal): Promise<StepOutcome> {
    const name = instanceLabel(instance);
    const spec = this.plan.services[instance.service]!;
    const state = this.state.services.get(instanceKey(instance))!;
    const handles = this.handles(instance.forPhase);
    const record = await runServiceSetup({
      driver: this.driver,
      handle: state.handle!,
      commands: spec.setup.map((command) => resolveCommand(command, handles)),
      timeoutMs: spec.setupTimeoutMs,
      ctx: this.context(name, signal, instanceRef('setup-service', instance)),
      entering: (text) => this.entering(text),
      now: () => performance.now(),
    });
    state.setup = record;
    const took = `${Math.round(record.durationMs)} ms`;
    if (record.ok) return { status: 'passed', message: `${record.ran} setup command(s) in ${took}` };
    if (signal.aborted) return { status: 'failed', message: 'cancelled' };
    const message = setupFailureMessage(spec, record);
    this.state.infraError ??= { code: 'SERVICE_SETUP_FAILED', message };
    return { status: 'failed', message };
  }

  private async runShards(name: string, signal: AbortSignal, slots: Slots): Promise<StepOutcome> {
    const state: PhaseState = { attempts: [], collected: [] };
    this.state.phases.set(name, state);
    const history = await this.history;
    return runShardedPhase(name, state, signal, slots, {
      plan: this.plan,
      driver: this.driver,
      run: this.identity,
      onEvent: this.onEvent,
      ...(history ? { history: history.shardFileMs } : {}),
      image: (use, s) => this.image(use, s),
      context: (source, s, step, errors) => this.context(source, s, step, errors),
      entering: (line) => this.entering(line),
      infrastructure: (code, message) => {
        this.state.infraError ??= { code, message };
      },
    });
  }

  private async runPhase(name: string, signal: AbortSignal): Promise<StepOutcome> {
    const spec = this.plan.phases[name]!;
    const state = { attempts: [], collected: [] } as PhaseState;
    this.state.phases.set(name, state);
    const handles = this.handles(name);
    const image = await this.image(spec.image, signal);
    const instances = spec.services.map((s) => instanceFor(this.plan, s, name));
    const deadBefore = await this.deadServices(instances, `phase ${name} could not start`);
    if (deadBefore) return { status: 'failed', message: deadBefore }; // a phase prepared ahead goes with the unused
    let ahead = await this.preparer.take(name, this.phaseRequest(name, 1, image, handles));
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
      const deadDuring = await this.deadServices(instances, `it died while phase ${name} ran (attempt ${attempt})`);
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
    handles: ReadonlyMap<string, ServiceAddress>,
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
   * A phase's first attempt as it will run, once the network and its image are there and the address of
   * each of its service instances is known (started, or planned by the driver). A phase in the shared
   * namespace is not prepared: it joins whichever service owns it.
   */
  private requestAhead(name: string): Promise<AheadRequest> | undefined {
    const spec = this.plan.phases[name]!;
    if (spec.localhost || spec.shard || !this.state.networkCreated) return undefined;
    const addresses = this.addressesAhead(name);
    if (!addresses) return undefined;
    const image =
      spec.image.kind === 'plan' ? this.state.images.get(spec.image.name) : this.refImages.get(spec.image.ref);
    if (image === undefined) return undefined;
    const never = new AbortController().signal;
    const options = { mountsSettled: this.settledBefore(name) };
    return Promise.resolve(image).then((handle) => ({
      options,
      req: this.phaseRequest(name, 1, handle, addresses),
      ctx: this.context(name, never, { kind: 'run-phase', subject: name, attempt: 1 }),
    }));
  }

  /**
   * Whether every phase that may run before `name` and change the files it mounts has ended: those it
   * comes after (needs, after), and those that take turns with it on an `exclusive` service.
   */
  private settledBefore(name: string): boolean {
    const spec = this.plan.phases[name]!;
    const exclusive = spec.services.filter((s) => this.plan.services[s]!.exclusive);
    const turns = Object.entries(this.plan.phases)
      .filter(([other, p]) => other !== name && p.services.some((s) => exclusive.includes(s)))
      .map(([other]) => other);
    return [...spec.needs, ...spec.after, ...turns].every((p) => !this.phasesHere.has(p) || this.phasesDone.has(p));
  }

  /**
   * Where `owner` reaches services before they all run: the handles there are, and for the instances it
   * uses that have not started, the address the driver plans; undefined while one of those has neither,
   * or is slow to get ready: its container then starts alone, and the phase's during its readiness wait.
   */
  private addressesAhead(owner: string): Map<string, ServiceAddress> | undefined {
    const addresses: Map<string, ServiceAddress> = this.handles(owner);
    for (const service of this.plan.phases[owner]!.services) {
      if (addresses.has(service)) continue;
      if ((this.historyRead?.readyMs.get(service) ?? 0) >= SLOW_TO_READY_MS) return undefined;
      const planned = this.driver.plannedAddress?.(this.addressRequest(instanceFor(this.plan, service, owner)));
      if (!planned) return undefined;
      addresses.set(service, planned);
    }
    return addresses;
  }

  /**
   * Asks the driver whether any of `names` has exited. The first dead one is an infrastructure
   * failure (exit 3): it is recorded on the service with its log tail, and its message returned.
   */
  private async deadServices(instances: readonly ServiceInstance[], context: string): Promise<string | undefined> {
    let message: string | undefined;
    for (const instance of instances) {
      const service = instanceLabel(instance);
      const state = this.state.services.get(instanceKey(instance));
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
      const removal = this.driver.releasePhase(handle);
      removal.catch(() => undefined); // awaited (and its failure reported) by remove-network
      this.removals.push(removal);
    }
    const missing = state.collected.filter((f) => !f.path);
    return missing.length
      ? { status: 'passed', message: `not found: ${missing.map((f) => f.source).join(', ')}` }
      : { status: 'passed' };
  }

  private async runCheck(name: string, signal: AbortSignal): Promise<StepOutcome> {
    const spec: CommandCheckSpec = this.plan.checks[name]!;
    const handles = this.handles();
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

  private async stopService(instance: ServiceInstance): Promise<StepOutcome> {
    const state = this.state.services.get(instanceKey(instance))!;
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
    await Promise.all(this.removals);
    await this.preparer.releaseUnused();
    await this.driver.removeNetwork(this.identity);
    this.state.networkCreated = false;
    return { status: 'passed' };
  }
}
