import type { ReadyOutcome } from '../driver.js';
import type { ReadyProbeSpec } from '../../dsl/plan.js';
import type { Clock } from './clock.js';
import type { ProcessExit } from './host-process.js';
import type { ProbeResult } from './ready-probes.js';

/** Polling starts at the probe's interval and doubles up to this (or the interval, if longer). */
export const MAX_POLL_INTERVAL_MS = 500;
const MIN_ATTEMPT_MS = 100;

export interface WaitTarget {
  /** Resolves when the service's process exits. */
  readonly exited: Promise<ProcessExit>;
  readonly exit: () => ProcessExit | undefined;
  readonly logTail: () => readonly string[];
  readonly attempt: (attemptTimeoutMs: number) => Promise<ProbeResult>;
  /**
   * Calls back when an attempt might now pass (the service printed something); the next attempt
   * then comes early, but never sooner than the probe's interval after the previous one started.
   * Returns the way to stop.
   */
  readonly onChange?: (changed: () => void) => () => void;
}

type FailReason = 'timeout' | 'exited' | 'retries' | 'aborted';

/** Polls `target.attempt` until it passes, the process exits, the time or retries run out, or `signal` aborts. */
export async function waitUntilReady(
  probe: ReadyProbeSpec,
  target: WaitTarget,
  signal: AbortSignal,
  clock: Clock,
): Promise<ReadyOutcome> {
  const started = clock.now();
  const deadline = started + probe.timeoutMs;
  const cap = Math.max(probe.intervalMs, MAX_POLL_INTERVAL_MS);
  let delay = Math.max(1, probe.intervalMs);
  let probes = 0;
  let lastProbeOutput = '';
  const changes = new ChangeFlag();
  const stopWatching = target.onChange?.(() => changes.set());

  const failed = (reason: FailReason): ReadyOutcome => {
    const exitCode = target.exit()?.exitCode;
    return {
      ready: false,
      reason,
      elapsedMs: Math.round(clock.now() - started),
      probes,
      lastProbeOutput,
      logTail: target.logTail(),
      ...(reason === 'exited' && exitCode !== null && exitCode !== undefined ? { exitCode } : {}),
    };
  };

  try {
    for (;;) {
      if (signal.aborted) return failed('aborted');
      if (target.exit()) return failed('exited');
      probes += 1;
      const attemptStarted = clock.now();
      changes.clear();
      // The last attempt still gets a fair chance to see an answer already on its way.
      const result = await target.attempt(Math.max(MIN_ATTEMPT_MS, Math.round(deadline - attemptStarted)));
      lastProbeOutput = result.output;
      // A port answering after our process died belongs to someone else: exit wins over a pass.
      if (target.exit()) return failed('exited');
      if (result.ok) return { ready: true, elapsedMs: Math.round(clock.now() - started), probes };
      if (signal.aborted) return failed('aborted');
      if (probe.retries !== undefined && probes >= probe.retries) return failed('retries');
      const remaining = deadline - clock.now();
      if (remaining <= 0) return failed('timeout');
      const earliest = attemptStarted + probe.intervalMs;
      await pause(Math.min(delay, remaining), earliest, target.exited, changes, signal, clock);
      delay = Math.min(delay * 2, cap);
    }
  } finally {
    stopWatching?.();
  }
}

/** Remembers that the target changed since the last attempt, and wakes whoever waits for that. */
class ChangeFlag {
  private changed = false;
  private waiter: (() => void) | undefined;
  set(): void {
    this.changed = true;
    this.waiter?.();
  }
  clear(): void {
    this.changed = false;
  }
  /** Calls `fn` once the flag is set (now, if it already is); returns the way to stop waiting. */
  whenSet(fn: () => void): () => void {
    if (this.changed) {
      fn();
      return () => undefined;
    }
    this.waiter = fn;
    return () => {
      this.waiter = undefined;
    };
  }
}

/**
 * Sleeps `ms`; wakes at once when the process exits or the run aborts, and at `earliest` (or
 * right away, if that has passed) when the target changed.
 */
async function pause(
  ms: number,
  earliest: number,
  exited: Promise<unknown>,
  changes: ChangeFlag,
  signal: AbortSignal,
  clock: Clock,
): Promise<void> {
  const wake = new AbortController();
  const onWake = (): void => wake.abort();
  signal.addEventListener('abort', onWake, { once: true });
  void exited.then(onWake);
  const stopWaiting = changes.whenSet(() => {
    const wait = earliest - clock.now();
    if (wait <= 0) onWake();
    else void clock.sleep(wait, wake.signal).then(onWake);
  });
  await clock.sleep(ms, wake.signal);
  wake.abort();
  stopWaiting();
  signal.removeEventListener('abort', onWake);
}
