/**
 * Runs a phase (or check) container to its end: output streamed line by line and tailed, killed
 * on timeout or abort. The container is left for `collect` and removed by `releasePhase`.
 * Creating the container is a step of its own, so that it can happen ahead, while services get
 * ready or an earlier phase runs: then only attach and start are left for the phase.
 */
import { InfrastructureError } from '../../errors.js';
import type { PhaseHandle, PhaseOutcome, RunIdentity, RunPhaseRequest, StepContext } from '../driver.js';
import { TailBuffer } from '../../text/tail-buffer.js';
import { limitAttempt } from '../shared/attempt-limit.js';
import type { Clock } from '../shared/clock.js';
import { containerName, networkPlacement } from './container-config.js';
import type { ContainerPort } from './engine/engine.js';
import { resourceLabels } from './labels.js';
import { outputLines } from './log-lines.js';

export const PHASE_LOG_TAIL = 200;
/** After the container ended, how long to wait for the rest of its output to arrive. */
const OUTPUT_DRAIN_MS = 2000;

export interface PhaseContainerOptions {
  readonly network: string;
  readonly namespaceOwner?: string;
  readonly imageVolumes: readonly string[];
}

/** Creates the container, not started (nor attached: a stream to a container that never starts would stay open). */
export async function createPhaseContainer(
  containers: ContainerPort,
  run: RunIdentity,
  req: RunPhaseRequest,
  opts: PhaseContainerOptions,
): Promise<PhaseHandle> {
  const labels = resourceLabels(run, req.role, req.name);
  const joining = req.sharedNamespace ? opts.namespaceOwner : undefined;
  try {
    const id = await containers.create({
      name: containerName(run.runId, req.role, req.name, req.attempt),
      image: req.image.ref,
      command: req.command,
      env: req.env,
      ...(req.workdir ? { workdir: req.workdir } : {}),
      labels,
      placement: networkPlacement(opts.network, [req.name], joining),
      publish: [],
      binds: req.mounts.map((m) => ({ source: m.source, target: m.target, readOnly: m.readOnly })),
      anonymousVolumes: opts.imageVolumes,
    });
    return { id, name: req.name };
  } catch (cause) {
    throw startFailed(req, cause);
  }
}

/** Starts a created phase container and waits for its end (timeout and abort kill it). */
export async function runCreatedPhase(
  containers: ContainerPort,
  clock: Clock,
  req: RunPhaseRequest,
  ctx: StepContext,
  handle: PhaseHandle,
): Promise<PhaseOutcome> {
  const started = clock.now();
  const id = handle.id;
  const tail = new TailBuffer(PHASE_LOG_TAIL);
  const lines = outputLines((line, stream) => {
    tail.push(line);
    ctx.onLog(line, stream);
  });
  let outputEnded: Promise<void> = Promise.resolve();
  try {
    // Attached before start (as `docker run` does), so nothing is missed; `logs: true` would
    // replay output written while attaching a second time.
    outputEnded = (await containers.attach(id, (chunk, stream) => lines.push(chunk, stream))).ended;
    await containers.start(id);
  } catch (cause) {
    await containers.remove(id).catch(() => undefined);
    throw startFailed(req, cause);
  }

  const kill = () => void containers.kill(id).catch(() => undefined);
  const limit = limitAttempt(
    ctx.signal,
    req.timeoutMs === undefined ? undefined : req.timeoutMs - (clock.now() - started),
    kill,
  );
  let exitCode: number | null = null;
  try {
    exitCode = (await containers.wait(id)).exitCode;
  } finally {
    limit.dispose();
  }
  const drained = new AbortController();
  await Promise.race([outputEnded, clock.sleep(OUTPUT_DRAIN_MS, drained.signal)]);
  drained.abort();
  lines.flush();
  const { timedOut, aborted } = limit;
  return { exitCode, timedOut, aborted, durationMs: clock.now() - started, logTail: tail.last(), handle };
}

function startFailed(req: RunPhaseRequest, cause: unknown): InfrastructureError {
  const why = cause instanceof Error ? cause.message : String(cause);
  return new InfrastructureError(
    'PHASE_START_FAILED',
    `${req.role === 'check' ? 'Check' : 'Phase'} "${req.name}" (image ${req.image.name}) could not start: ${why}. ` +
      `Check its image, command, workdir and mounts.`,
    { cause },
  );
}
