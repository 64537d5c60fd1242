/** A shard's own service instances: started after what they depend on (in parallel otherwise), watched, stopped. */
import { instanceAlias } from '../compile/service-instances.js';
import { shardServiceOrder } from '../compile/shards.js';
import type { ImageUse, PhaseSpec, TestPlan } from '../dsl/plan.js';
import type { Driver, ImageHandle, ReadyOutcome, RunIdentity, ServiceHandle, StepContext } from '../drivers/driver.js';
import type { ErrorLines } from '../text/error-lines.js';
import { instanceRef, type EventSink, type StepRef } from './events.js';
import { resolveCommand } from './resolve-env.js';
import { notReadyReason, startServiceRequest } from './service-request.js';
import { runServiceSetup, setupFailureMessage } from './service-setup.js';
import type { ShardHistory, ShardServiceState, ShardState } from './shard-state.js';

const SERVICE_LOG_TAIL = 50;

/** What the step runner lends the shards: its driver, images, output handling and failure record. */
export interface ShardRunnerDeps {
  readonly plan: TestPlan;
  readonly driver: Driver;
  readonly run: RunIdentity;
  readonly onEvent: EventSink;
  readonly history?: ShardHistory;
  image(use: ImageUse, signal: AbortSignal): Promise<ImageHandle>;
  context(source: string, signal: AbortSignal, step?: StepRef, errors?: ErrorLines): StepContext;
  /** A line of tool output as the run shows it (plain text, secrets masked). */
  entering(line: string): string;
  /** Records the run's first infrastructure failure (exit 3). */
  infrastructure(code: string, message: string): void;
}

/** The network alias and label of a shard's own instance of a service: an instance owned by the phase's shard. */
export const shardInstanceName = (service: string, phase: string, index: number): string =>
  instanceAlias({ service, forPhase: shardOwner(phase, index) });

/** Who owns a shard's instances, in the service × owner terms of compile/service-instances.ts. */
const shardOwner = (phase: string, index: number): string => `${phase}-s${index}`;

/** Starts the shard's instances, each after what it depends on, in parallel otherwise; undefined when one is not up. */
export async function startShardServices(
  spec: PhaseSpec,
  s: ShardState,
  signal: AbortSignal,
  deps: ShardRunnerDeps,
): Promise<Map<string, ServiceHandle> | undefined> {
  const started = new Map<string, Promise<ServiceHandle | undefined>>();
  const bring = (service: string): Promise<ServiceHandle | undefined> => {
    let pending = started.get(service);
    if (!pending) {
      pending = startOne(service);
      started.set(service, pending);
    }
    return pending;
  };
  const startOne = async (service: string): Promise<ServiceHandle | undefined> => {
    const svc = deps.plan.services[service]!;
    const before = await Promise.all(svc.dependsOn.map(bring));
    if (before.some((h) => h === undefined) || signal.aborted) return undefined;
    const handles = new Map(svc.dependsOn.map((d, i) => [d, before[i]!]));
    const record: ShardServiceState = {
      service,
      instance: shardInstanceName(service, spec.name, s.index),
      logTail: [],
    };
    s.services.push(record);
    const ctx = deps.context(
      record.instance,
      signal,
      instanceRef('start-service', { service, forPhase: shardOwner(spec.name, s.index) }),
    );
    record.handle = await deps.driver.startService(
      startServiceRequest(service, svc, await deps.image(svc.image, signal), handles, {
        alias: record.instance,
        sharedNamespace: false,
      }),
      ctx,
    );
    if (svc.ready) {
      const outcome = await deps.driver.waitReady(record.handle, svc.ready, ctx);
      record.ready = outcome;
      if (!outcome.ready) return notReady(service, record, outcome);
    }
    return (await setUp(service, record, new Map([...handles, [service, record.handle]]))) ? record.handle : undefined;
  };
  /** The service's `setup` commands on this shard's instance; false when one failed (exit 3). */
  const setUp = async (service: string, record: ShardServiceState, handles: Map<string, ServiceHandle>) => {
    const svc = deps.plan.services[service]!;
    if (svc.setup.length === 0) return true;
    const setup = await runServiceSetup({
      driver: deps.driver,
      handle: record.handle!,
      commands: svc.setup.map((command) => resolveCommand(command, handles)),
      timeoutMs: svc.setupTimeoutMs,
      ctx: deps.context(
        record.instance,
        signal,
        instanceRef('setup-service', { service, forPhase: shardOwner(spec.name, s.index) }),
      ),
      entering: (text) => deps.entering(text),
      now: () => performance.now(),
    });
    if (setup.ok || signal.aborted) return setup.ok;
    const message = setupFailureMessage(svc, setup);
    record.message = message;
    s.failure ??= `service ${service} (instance ${record.instance}): ${message}`;
    deps.infrastructure('SERVICE_SETUP_FAILED', `phase ${spec.name} shard ${s.index}/${s.count}: ${message}`);
    return false;
  };
  const notReady = (
    service: string,
    record: ShardServiceState,
    outcome: Extract<ReadyOutcome, { ready: false }>,
  ): undefined => {
    record.logTail = outcome.logTail.map((l) => deps.entering(l));
    const why = notReadyReason(outcome);
    record.message = why;
    if (outcome.reason !== 'aborted') {
      s.failure ??= `service ${service} (instance ${record.instance}) ${why}`;
      deps.infrastructure(
        'SERVICE_NOT_READY',
        `phase ${spec.name} shard ${s.index}/${s.count}: ${s.failure}. Check services.${service}.ready.`,
      );
    }
    return undefined;
  };
  const order = shardServiceOrder(deps.plan, spec.name);
  // Settled, not raced: a start that throws must not leave its siblings starting after the shard stops its instances.
  const settled = await Promise.allSettled(order.map(bring));
  const thrown = settled.find((r) => r.status === 'rejected');
  if (thrown) throw thrown.reason;
  const handles = settled.map((r) => (r.status === 'fulfilled' ? r.value : undefined));
  if (handles.some((h) => h === undefined)) {
    if (signal.aborted) s.cancelled = true;
    return undefined;
  }
  return new Map(order.map((name, i) => [name, handles[i]!]));
}

/** A shard's instance that died under it makes its evidence unreliable and a retry pointless (exit 3). */
export async function deadShardService(
  spec: PhaseSpec,
  s: ShardState,
  attempt: number,
  deps: ShardRunnerDeps,
): Promise<boolean> {
  for (const record of s.services) {
    if (!record.handle) continue;
    const exit = await deps.driver.serviceExit(record.handle);
    if (!exit) continue;
    record.exit = exit;
    record.logTail = (await deps.driver.serviceLogTail(record.handle, SERVICE_LOG_TAIL).catch(() => [])).map((l) =>
      deps.entering(l),
    );
    record.message = `exited with code ${exit.exitCode ?? 'unknown (killed by a signal)'} at ${exit.at}`;
    s.failure = `service ${record.service} (instance ${record.instance}) ${record.message} while the shard ran (attempt ${attempt})`;
    deps.infrastructure('SERVICE_EXITED', `phase ${spec.name} shard ${s.index}/${s.count}: ${s.failure}`);
    return true;
  }
  return false;
}

export async function stopShardServices(s: ShardState, deps: ShardRunnerDeps): Promise<void> {
  await Promise.all(
    s.services.map(async (record) => {
      if (!record.handle) return;
      if (record.logTail.length === 0)
        record.logTail = (await deps.driver.serviceLogTail(record.handle, SERVICE_LOG_TAIL).catch(() => [])).map((l) =>
          deps.entering(l),
        );
      await deps.driver.stopService(record.handle).catch(() => undefined);
    }),
  );
}
