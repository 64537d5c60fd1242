import type { Clock } from '../shared/clock.js';
import type { HostProcess, ProcessExit, SignalGroup } from './host-process.js';

/** Registers `onExit` to run when the runner's own process exits; returns the way to unregister it. */
export type InstallExitHook = (onExit: () => void) => () => void;

/**
 * The service and phase process groups are detached (so a timeout can kill a whole tree), which
 * also means they would outlive the runner. Node runs 'exit' listeners on normal exit and on
 * `process.exit()`; the CLI turns SIGINT/SIGTERM into an exit. Only a SIGKILL of the runner can
 * leave processes behind.
 */
export const onProcessExit: InstallExitHook = (onExit) => {
  process.on('exit', onExit);
  return () => {
    process.off('exit', onExit);
  };
};

/** Every process group the driver started and has not stopped yet, by run id. */
export class ProcessGroups {
  private readonly byRun = new Map<string, Set<HostProcess>>();
  private uninstall: (() => void) | undefined;

  constructor(
    private readonly signal: SignalGroup,
    private readonly installExitHook: InstallExitHook,
  ) {}

  track(runId: string, proc: HostProcess): void {
    const set = this.byRun.get(runId) ?? new Set<HostProcess>();
    set.add(proc);
    this.byRun.set(runId, set);
    this.uninstall ??= this.installExitHook(() => this.killAllNow());
  }

  untrack(runId: string, proc: HostProcess): void {
    const set = this.byRun.get(runId);
    set?.delete(proc);
    if (set?.size === 0) this.byRun.delete(runId);
    if (this.byRun.size === 0 && this.uninstall) {
      this.uninstall();
      this.uninstall = undefined;
    }
  }

  forRun(runId: string): readonly HostProcess[] {
    return [...(this.byRun.get(runId) ?? [])];
  }

  /** Synchronous on purpose: it runs inside process 'exit', where nothing async happens any more. */
  private killAllNow(): void {
    for (const set of this.byRun.values()) for (const proc of set) this.signal(proc.pid, 'SIGKILL');
  }
}

export interface TerminateOptions {
  readonly signal: SignalGroup;
  readonly clock: Clock;
  /** How long the group gets between SIGTERM and SIGKILL. */
  readonly graceMs: number;
}

/**
 * SIGTERM to the group, up to `graceMs` for every process to let go of the output pipes, then
 * SIGKILL to whatever is left of the group (a no-op when nothing is).
 */
export async function terminateGroup(proc: HostProcess, opts: TerminateOptions): Promise<ProcessExit> {
  opts.signal(proc.pid, 'SIGTERM');
  await drainedWithin(proc, opts.graceMs, opts.clock);
  opts.signal(proc.pid, 'SIGKILL');
  const exit = await proc.exited;
  await settleOutput(proc, opts.clock);
  return exit;
}

/** After the leader exited by itself: like a container whose PID 1 ended, the rest of the group is killed. */
export async function reapGroup(proc: HostProcess, signal: SignalGroup, clock: Clock): Promise<ProcessExit> {
  const exit = await proc.exited;
  signal(proc.pid, 'SIGKILL');
  await settleOutput(proc, clock);
  return exit;
}

/** How long output may keep coming once the group is dead (pipes still buffered, or held by an escapee). */
export const OUTPUT_SETTLE_MS = 1000;

async function settleOutput(proc: HostProcess, clock: Clock): Promise<void> {
  if (!(await drainedWithin(proc, OUTPUT_SETTLE_MS, clock))) {
    proc.abandonOutput();
    await proc.drained;
  }
}

async function drainedWithin(proc: HostProcess, ms: number, clock: Clock): Promise<boolean> {
  const stop = new AbortController();
  const drained = await Promise.race([proc.drained.then(() => true), clock.sleep(ms, stop.signal).then(() => false)]);
  stop.abort();
  return drained;
}
