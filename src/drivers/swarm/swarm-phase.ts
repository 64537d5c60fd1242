/**
 * A phase as a replicated-job service: Swarm places its one task on a node; the driver follows the
 * task's container through that node's engine (output, end, kill on timeout or abort). The service
 * and its container stay for `collect`; `releasePhase` removes both.
 */
import { createHash } from 'node:crypto';
import { InfrastructureError } from '../../errors.js';
import type { PhaseOutcome, RunIdentity, RunPhaseRequest, StepContext } from '../driver.js';
import { TailBuffer } from '../../text/tail-buffer.js';
import { limitAttempt } from '../shared/attempt-limit.js';
import type { Clock } from '../shared/clock.js';
import type { Engine } from '../docker/engine/engine.js';
import type { SwarmPort, TaskStatus } from '../docker/engine/swarm.js';
import { networkName, resourceLabels, safeName } from '../docker/labels.js';
import { outputLines } from '../docker/log-lines.js';
import { PHASE_LOG_TAIL } from '../docker/phase-container.js';
import { waitForContainer } from './tasks.js';

export interface PlacedTask {
  readonly serviceId: string;
  readonly node: Engine;
  readonly nodeId: string;
  readonly containerId: string;
}

export interface SwarmPhaseDeps {
  readonly swarm: SwarmPort;
  readonly clock: Clock;
  readonly engineFor: (nodeId: string) => Promise<Engine>;
}

export function serviceName(runId: string, role: string, name: string, attempt?: number): string {
  // Swarm service names: at most 63 characters, letters, digits and dashes.
  const full = safeName(`tp-${runId}-${role}-${name}${attempt !== undefined ? `-${attempt}` : ''}`).replace(
    /[_.]/g,
    '-',
  );
  if (full.length <= 63) return full;
  // Cut, names that differ only at the end (`web--suite-s1`, `-s2`) would collide: the digest keeps them apart.
  const digest = createHash('sha256').update(full).digest('hex').slice(0, 10);
  return `${full.slice(0, 63 - digest.length - 1).replace(/-+$/, '')}-${digest}`;
}

export async function runSwarmPhase(
  deps: SwarmPhaseDeps,
  run: RunIdentity,
  req: RunPhaseRequest,
  ctx: StepContext,
): Promise<{ outcome: PhaseOutcome; placed?: PlacedTask }> {
  const started = deps.clock.now();
  let serviceId: string;
  try {
    serviceId = await deps.swarm.createService({
      name: serviceName(run.runId, req.role, req.name, req.attempt),
      image: req.image.ref,
      command: req.command,
      env: req.env,
      ...(req.workdir ? { workdir: req.workdir } : {}),
      labels: resourceLabels(run, req.role, req.name),
      network: networkName(run.runId),
      aliases: [req.name],
      binds: req.mounts.map((m) => ({ source: m.source, target: m.target, readOnly: m.readOnly })),
      job: true,
    });
  } catch (cause) {
    throw startFailed(req, cause);
  }
  const handle = { id: serviceId, name: req.name };

  const stop = new AbortController();
  // Until Swarm places the task, ending it means no longer waiting for it; then, killing its container.
  let kill: () => void = () => stop.abort();
  const limit = limitAttempt(
    ctx.signal,
    req.timeoutMs === undefined ? undefined : req.timeoutMs - (deps.clock.now() - started),
    () => kill(),
  );
  const tail = new TailBuffer(PHASE_LOG_TAIL);
  const lines = outputLines((line, stream) => {
    tail.push(line);
    ctx.onLog(line, stream);
  });
  const ended = (exitCode: number | null, placed?: PlacedTask) => ({
    outcome: {
      exitCode,
      timedOut: limit.timedOut,
      aborted: limit.aborted,
      durationMs: deps.clock.now() - started,
      logTail: tail.last(),
      handle,
    },
    ...(placed ? { placed } : {}),
  });
  try {
    const task = await waitForContainer(deps.swarm, serviceId, deps.clock, stop.signal);
    if (!task) return ended(null); // stopped before Swarm placed it: nothing ran
    if (!task.containerId || !task.nodeId) throw startFailed(req, taskError(task));
    const node = await deps.engineFor(task.nodeId);
    const containerId = task.containerId;
    const placed = { serviceId, node, nodeId: task.nodeId, containerId };
    kill = () => void node.containers.kill(containerId).catch(() => undefined);
    if (stop.signal.aborted) kill();
    // Followed from the start: a container that already ended gives its whole output at once.
    await node.containers.logs(containerId, { follow: true }, (chunk, stream) => lines.push(chunk, stream));
    const { exitCode } = await node.containers.wait(containerId);
    lines.flush();
    return ended(exitCode, placed);
  } finally {
    limit.dispose();
  }
}

export function taskError(task: TaskStatus): string {
  return `its Swarm task is ${task.rawState}${task.error ? `: ${task.error}` : task.message ? ` (${task.message})` : ''}`;
}

function startFailed(req: RunPhaseRequest, cause: unknown): InfrastructureError {
  const why = cause instanceof Error ? cause.message : String(cause);
  return new InfrastructureError(
    'PHASE_START_FAILED',
    `${req.role === 'check' ? 'Check' : 'Phase'} "${req.name}" (image ${req.image.name}) could not start on the swarm: ${why}. ` +
      `Check its image (pushed to the registry?), command, workdir and mounts.`,
    { cause },
  );
}
