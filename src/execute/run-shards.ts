/**
 * Runs a sharded phase: lists its files (with `shard.files`), splits them, and runs each shard with
 * its own instances of the phase's services, its own retries and its own copied-out files. Every
 * shard holds one of the run's concurrency slots from its first service start to its last stop.
 */
import { instanceAlias } from '../compile/service-instances.js';
import { shardServiceOrder, splitShardFiles, type ShardFile } from '../compile/shards.js';
import type { ImageUse, PhaseSpec, TestPlan } from '../dsl/plan.js';
import type { Driver, ImageHandle, RunIdentity, ServiceHandle, StepContext } from '../drivers/driver.js';
import { InfrastructureError } from '../errors.js';
import { ErrorLines } from '../text/error-lines.js';
import type { EventSink, StepRef } from './events.js';
import { LISTING_TIMEOUT_MS, listingScript, parseListing } from './list-shard-files.js';
import { phaseCollectPaths, shardOutputDir } from './phase-paths.js';
import { resolveCommand, resolveEnv, resolveTemplates, type ShardPosition } from './resolve-env.js';
import type { PhaseState } from './run-state.js';
import type { StepOutcome } from './scheduler.js';
import type { ShardHistory, ShardServiceState, ShardsState, ShardState } from './shard-state.js';
import type { Slots } from './slots.js';

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
  instanceAlias({ service, forPhase: `${phase}-s${index}` });

export async function runShardedPhase(
  name: string,
  state: PhaseState,
  signal: AbortSignal,
  slots: Slots,
  deps: ShardRunnerDeps,
): Promise<StepOutcome> {
  const spec = deps.plan.phases[name]!;
  const shard = spec.shard!;
  const shards: ShardsState = { requested: shard.count, list: [] };
  state.shards = shards;
  const image = await deps.image(spec.image, signal);

  let groups: { index: number; files?: readonly string[] }[];
  let sizes: ReadonlyMap<string, number> = new Map();
  if (shard.files !== undefined) {
    const listed = await listShardFiles(spec, shard.files, image, signal, slots, deps);
    if (typeof listed === 'string') {
      shards.listingError = listed;
      return { status: 'failed', message: listed };
    }
    const split = splitShardFiles(listed, shard.count, deps.history?.get(name));
    shards.split = split.by;
    sizes = new Map(listed.map((f) => [f.path, f.sizeBytes]));
    groups = split.groups.map((g) => ({ index: g.index, files: g.files }));
  } else {
    groups = Array.from({ length: shard.count }, (_, i) => ({ index: i + 1 }));
  }
  for (const group of groups) {
    shards.list.push({
      index: group.index,
      count: groups.length,
      ...(group.files
        ? { files: group.files, sizes: Object.fromEntries(group.files.map((f) => [f, sizes.get(f) ?? 0])) }
        : {}),
      attempts: [],
      collected: [],
      services: [],
    });
  }
  await Promise.all(shards.list.map((s) => runShard(spec, s, image, signal, slots, deps)));
  if (signal.aborted) return { status: 'failed', message: 'cancelled' };
  const failed = shards.list.flatMap((s) => {
    const why = shardFailure(spec, s);
    return why ? [`shard ${s.index}/${s.count}: ${why}`] : [];
  });
  if (failed.length > 0) return { status: 'failed', message: failed.join('; ') };
  const fewer = groups.length < shard.count ? ` (${shard.count} asked; only ${groups.length} files matched)` : '';
  return { status: 'passed', message: `${groups.length} shards passed${fewer}` };
}

/** Why a shard did not pass, or undefined when its last attempt exited 0 in time. */
export function shardFailure(spec: PhaseSpec, s: ShardState): string | undefined {
  if (s.cancelled) return 'cancelled';
  if (s.failure) return s.failure;
  const last = s.attempts.at(-1);
  if (!last) return 'never started';
  if (last.aborted) return 'cancelled';
  if (last.timedOut) return `timed out after ${spec.timeoutMs} ms`;
  if (last.exitCode !== 0) return `exited with code ${last.exitCode}`;
  return undefined;
}

async function listShardFiles(
  spec: PhaseSpec,
  glob: string,
  image: ImageHandle,
  signal: AbortSignal,
  slots: Slots,
  deps: ShardRunnerDeps,
): Promise<ShardFile[] | string> {
  if (!(await slots.take(signal))) return 'cancelled before its files were listed';
  const found: string[] = [];
  const complaints: string[] = [];
  try {
    const script = listingScript(glob);
    const outcome = await deps.driver.runPhase(
      {
        name: `${spec.name}-list`,
        role: 'phase',
        attempt: 1,
        image,
        command: ['sh', '-c', script],
        env: {},
        ...(spec.workdir ? { workdir: spec.workdir } : {}),
        mounts: spec.mounts,
        sharedNamespace: false,
        timeoutMs: LISTING_TIMEOUT_MS,
        outputs: [],
        local: { run: script, ...(spec.local?.workdir ? { workdir: spec.local.workdir } : {}) },
      },
      {
        run: deps.run,
        signal,
        onLog: (line, stream) => (stream === 'stdout' ? found : complaints).push(deps.entering(line)),
      },
    );
    await deps.driver.releasePhase(outcome.handle).catch(() => undefined);
    if (outcome.aborted) return 'cancelled while its files were listed';
    if (outcome.exitCode !== 0) {
      const why = outcome.timedOut ? 'timed out' : `exited with code ${outcome.exitCode}`;
      const said = complaints.slice(-3).join(' / ');
      return `listing phases.${spec.name}.shard.files ('${glob}') in the phase's working folder failed: find ${why}${said ? `: ${said}` : ''}. The folder must exist in the image (or a mount) and the image needs GNU find (findutils).`;
    }
    const files = parseListing(found, glob);
    if (files.length === 0)
      return `phases.${spec.name}.shard.files ('${glob}') matched no file in the phase's working folder: no shard can run. Check the glob against the image's files (and the phase's workdir).`;
    return files;
  } finally {
    slots.give();
  }
}

async function runShard(
  spec: PhaseSpec,
  s: ShardState,
  image: ImageHandle,
  signal: AbortSignal,
  slots: Slots,
  deps: ShardRunnerDeps,
): Promise<void> {
  if (!(await slots.take(signal))) {
    s.cancelled = true;
    return;
  }
  const position: ShardPosition = { index: s.index, count: s.count };
  try {
    const handles = await startShardServices(spec, s, signal, deps);
    if (!handles) return;
    await runShardAttempts(spec, s, position, image, handles, signal, deps);
    if (s.handle) {
      const handle = s.handle;
      try {
        s.collected = await deps.driver.collect(
          handle,
          phaseCollectPaths(spec),
          shardOutputDir(deps.run.outDir, spec.name, s.index),
        );
      } finally {
        delete s.handle;
        await deps.driver.releasePhase(handle);
      }
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    s.failure ??= message;
    if (!signal.aborted)
      deps.infrastructure(error instanceof InfrastructureError ? error.code : 'DRIVER_ERROR', message);
  } finally {
    await stopShardServices(s, deps);
    slots.give();
  }
}

/** Starts the shard's instances, each after what it depends on, in parallel otherwise; undefined when one is not up. */
async function startShardServices(
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
    const ctx = deps.context(record.instance, signal, { kind: 'start-service', subject: service });
    record.handle = await deps.driver.startService(
      {
        name: service,
        alias: record.instance,
        image: await deps.image(svc.image, signal),
        ...(svc.command ? { command: resolveCommand(svc.command, handles) } : {}),
        env: resolveEnv(svc.env, handles),
        ports: svc.ports,
        sharedNamespace: false,
        ...(svc.local ? { local: { command: svc.local.command, env: resolveEnv(svc.local.env, handles) } } : {}),
      },
      ctx,
    );
    if (!svc.ready) return record.handle;
    const outcome = await deps.driver.waitReady(record.handle, svc.ready, ctx);
    record.ready = outcome;
    if (outcome.ready) return record.handle;
    record.logTail = outcome.logTail.map((l) => deps.entering(l));
    const why =
      outcome.reason === 'aborted'
        ? 'cancelled'
        : outcome.reason === 'exited'
          ? `exited with code ${outcome.exitCode ?? 'unknown'} before it became ready`
          : `did not become ready within ${Math.round(outcome.elapsedMs)} ms (${outcome.probes} probes)`;
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

async function runShardAttempts(
  spec: PhaseSpec,
  s: ShardState,
  position: ShardPosition,
  image: ImageHandle,
  handles: ReadonlyMap<string, ServiceHandle>,
  signal: AbortSignal,
  deps: ShardRunnerDeps,
): Promise<void> {
  const shardEnv = {
    TESTPLAN_SHARD_INDEX: String(s.index),
    TESTPLAN_SHARD_COUNT: String(s.count),
    ...(s.files ? { TESTPLAN_SHARD_FILES: s.files.join('\n') } : {}),
  };
  const label = `${spec.name} [${s.index}/${s.count}]`;
  for (let attempt = 1; attempt <= spec.retries + 1; attempt++) {
    if (s.handle) {
      await deps.driver.releasePhase(s.handle);
      delete s.handle;
    }
    const errors = new ErrorLines();
    const outcome = await deps.driver.runPhase(
      {
        name: `${spec.name}-s${s.index}`,
        role: 'phase',
        attempt,
        image,
        command: resolveCommand(spec.command, handles, position),
        env: { ...resolveEnv(spec.env, handles, position), ...shardEnv },
        ...(spec.workdir ? { workdir: spec.workdir } : {}),
        mounts: spec.mounts,
        sharedNamespace: false,
        ...(spec.timeoutMs ? { timeoutMs: spec.timeoutMs } : {}),
        outputs: phaseCollectPaths(spec),
        ...(spec.local
          ? {
              local: {
                ...spec.local,
                ...(spec.local.run ? { run: resolveTemplates(spec.local.run, handles, position) } : {}),
              },
            }
          : {}),
      },
      deps.context(label, signal, { kind: 'run-phase', subject: spec.name, attempt }, errors),
    );
    s.handle = outcome.handle;
    s.attempts.push({
      attempt,
      exitCode: outcome.exitCode,
      timedOut: outcome.timedOut,
      aborted: outcome.aborted,
      durationMs: outcome.durationMs,
      logTail: outcome.logTail.map((line) => deps.entering(line)),
      errorLines: errors.lines(),
    });
    deps.onEvent({
      kind: 'phase-attempt',
      phase: `${spec.name}-s${s.index}`,
      attempt,
      exitCode: outcome.exitCode,
      timedOut: outcome.timedOut,
    });
    if (await deadShardService(spec, s, attempt, deps)) return;
    if (outcome.exitCode === 0 && !outcome.timedOut) return;
    if (outcome.aborted || signal.aborted) return;
  }
}

/** A shard's instance that died under it makes its evidence unreliable and a retry pointless (exit 3). */
async function deadShardService(
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

async function stopShardServices(s: ShardState, deps: ShardRunnerDeps): Promise<void> {
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
