/**
 * Runs a phase (or check) container to its end: output streamed line by line and tailed, killed
 * on timeout or abort. The container is left for `collect` and removed by `releasePhase`.
 * Creating the container is a step of its own, so that it can happen ahead, while services get
 * ready or an earlier phase runs: then only attach and start are left for the phase. A container
 * that can wait at a gate (phase-gate.ts) is even started ahead: then only "go" is left.
 */
import { InfrastructureError } from '../../errors.js';
import type { PhaseHandle, PhaseOutcome, RunIdentity, RunPhaseRequest, StepContext } from '../driver.js';
import { TailBuffer } from '../../text/tail-buffer.js';
import { limitAttempt } from '../shared/attempt-limit.js';
import type { Clock } from '../shared/clock.js';
import { containerName, networkPlacement } from './container-config.js';
import type { ContainerPort, OnOutput } from './engine/engine.js';
import { resourceLabels } from './labels.js';
import { outputLines } from './log-lines.js';
import { GO_LINE, OutputRouter } from './phase-gate.js';

export const PHASE_LOG_TAIL = 200;
/** After the container ended, how long to wait for the rest of its output to arrive. */
const OUTPUT_DRAIN_MS = 2000;

export interface PhaseContainerOptions {
  readonly network: string;
  readonly namespaceOwner?: string;
  readonly imageVolumes: readonly string[];
}

/** A phase container created, attached and started ahead, waiting at its gate for "go". */
export interface WarmPhase {
  readonly handle: PhaseHandle;
  /** Settles when the container's output ends (it exited or was removed). */
  readonly ended: Promise<void>;
  /** Whether the output ended already: then the gate is gone and the phase cannot run in this container. */
  gone(): boolean;
  readonly router: OutputRouter;
  readonly send: (text: string) => void;
}

/** Creates the container, not started (nor attached: a stream to a container that never starts would stay open). */
export async function createPhaseContainer(
  containers: ContainerPort,
  run: RunIdentity,
  req: RunPhaseRequest,
  opts: PhaseContainerOptions,
  /** The gate's entrypoint (phase-gate.ts), for a container started ahead. */
  gate?: readonly string[],
): Promise<PhaseHandle> {
  const labels = resourceLabels(run, req.role, req.name);
  const joining = req.sharedNamespace ? opts.namespaceOwner : undefined;
  try {
    const id = await containers.create({
      name: containerName(run.runId, req.role, req.name, req.attempt),
      image: req.image.ref,
      command: req.command,
      ...(gate ? { entrypoint: gate, openStdin: true } : {}),
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

/** Creates the container with the gate in front of its command, attaches to it (stdin too) and starts it. */
export async function startGatedPhase(
  containers: ContainerPort,
  run: RunIdentity,
  req: RunPhaseRequest,
  opts: PhaseContainerOptions,
  gate: readonly string[],
): Promise<WarmPhase> {
  const handle = await createPhaseContainer(containers, run, req, opts, gate);
  const router = new OutputRouter();
  try {
    const attached = await containers.attach(handle.id, router.onOutput, { stdin: true });
    const send = attached.send;
    if (!send) throw new Error('the engine gave no stdin to the attached container');
    let ended = false;
    void attached.ended.then(() => {
      ended = true;
    });
    await containers.start(handle.id);
    return { handle, ended: attached.ended, gone: () => ended, router, send };
  } catch (cause) {
    await containers.remove(handle.id).catch(() => undefined);
    throw startFailed(req, cause);
  }
}

/**
 * Starts a created phase container, or lets a warm one through its gate, and waits for its end
 * (timeout and abort kill it). The attempt's time and timeout count from then.
 */
export async function runCreatedPhase(
  containers: ContainerPort,
  clock: Clock,
  req: RunPhaseRequest,
  ctx: StepContext,
  handle: PhaseHandle,
  warm?: WarmPhase,
): Promise<PhaseOutcome> {
  const started = clock.now();
  const id = handle.id;
  const tail = new TailBuffer(PHASE_LOG_TAIL);
  const lines = outputLines((line, stream) => {
    tail.push(line);
    ctx.onLog(line, stream);
  });
  const onOutput: OnOutput = (chunk, stream) => lines.push(chunk, stream);
  let outputEnded: Promise<void> = Promise.resolve();
  try {
    if (warm) {
      warm.router.to(onOutput);
      outputEnded = warm.ended;
      warm.send(GO_LINE);
    } else {
      // Attached before start (as `docker run` does), so nothing is missed; `logs: true` would
      // replay output written while attaching a second time.
      outputEnded = (await containers.attach(id, onOutput)).ended;
      await containers.start(id);
    }
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
    exitCode = await exitOf(containers, id);
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

/** The container's exit code, from its die event or, when the engine sends no events, from `wait`. */
async function exitOf(containers: ContainerPort, id: string): Promise<number | null> {
  const settled = new AbortController();
  const waited = containers.wait(id, settled.signal);
  try {
    return (await Promise.any([containers.died(id, settled.signal), waited])).exitCode;
  } catch {
    return (await waited).exitCode; // both failed: wait's own error
  } finally {
    settled.abort();
  }
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
