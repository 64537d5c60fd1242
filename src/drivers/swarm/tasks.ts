/** Watching a service's one task: Swarm reports placement, container and end only through task status. */
import type { Clock } from '../shared/clock.js';
import type { SwarmPort, TaskStatus } from '../docker/engine/swarm.js';

const POLL_MS = 50;

/** Terminal for our purposes: the task will not run (again). */
export function taskEnded(t: TaskStatus): boolean {
  return (
    t.state === 'complete' ||
    t.state === 'failed' ||
    t.state === 'shutdown' ||
    t.state === 'rejected' ||
    t.state === 'orphaned'
  );
}

/** The newest task of the service, or undefined before Swarm made one. */
export async function currentTask(swarm: SwarmPort, serviceId: string): Promise<TaskStatus | undefined> {
  const tasks = await swarm.tasks(serviceId);
  return tasks.sort((a, b) => Date.parse(b.at) - Date.parse(a.at))[0];
}

/**
 * Polls until the task runs (a container on a node) or ended; undefined when `signal` aborted first.
 * A task that ended without a container (rejected: image not pullable, no node fits) comes back as it is.
 */
export async function waitForContainer(
  swarm: SwarmPort,
  serviceId: string,
  clock: Clock,
  signal: AbortSignal,
): Promise<TaskStatus | undefined> {
  for (;;) {
    if (signal.aborted) return undefined;
    const task = await currentTask(swarm, serviceId);
    if (task && ((task.containerId && task.state === 'running') || taskEnded(task))) return task;
    await clock.sleep(POLL_MS, signal);
  }
}
