/**
 * Runs a sharded phase: lists its files (with `shard.files`), splits them, and runs each shard with
 * its own instances of the phase's services, its own retries and its own copied-out files. Every
 * shard holds one of the run's concurrency slots from its first service start to its last stop.
 */
import { splitShardFiles, type ShardFile } from '../compile/shards.js';
import type { PhaseSpec } from '../dsl/plan.js';
import type { ImageHandle, ServiceHandle } from '../drivers/driver.js';
import { InfrastructureError } from '../errors.js';
import { ErrorLines } from '../text/error-lines.js';
import { LISTING_TIMEOUT_MS, listingScript, parseListing } from './list-shard-files.js';
import { phaseCollectPaths, shardOutputDir } from './phase-paths.js';
import { resolveCommand, resolveEnv, resolveTemplates, type ShardPosition } from './resolve-env.js';
import type { PhaseState } from './run-state.js';
import type { StepOutcome } from './scheduler.js';
import { deadShardService, startShardServices, stopShardServices, type ShardRunnerDeps } from './shard-services.js';
import type { ShardsState, ShardState } from './shard-state.js';
import type { Slots } from './slots.js';

export { shardInstanceName, type ShardRunnerDeps } from './shard-services.js';

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
