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
}

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

  const failed = (reason: 'timeout' | 'exited' | 'retries' | 'aborted'): ReadyOutcome => {
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

  for (;;) {
    if (signal.aborted) return failed('aborted');
    if (target.exit()) return failed('exited');
    probes += 1;
    // The last attempt still gets a fair chance to see an answer already on its way.
    const result = await target.attempt(Math.max(MIN_ATTEMPT_MS, Math.round(deadline - clock.now())));
    lastProbeOutput = result.output;
    // A port answering after our process died belongs to someone else: exit wins over a pass.
    if (target.exit()) return failed('exited');
    if (result.ok) return { ready: true, elapsedMs: Math.round(clock.now() - started), probes };
    if (signal.aborted) return failed('aborted');
    if (probe.retries !== undefined && probes >= probe.retries) return failed('retries');
    const remaining = deadline - clock.now();
    if (remaining <= 0) return failed('timeout');
    await pause(Math.min(delay, remaining), target.exited, signal, clock);
    delay = Math.min(delay * 2, cap);
  }
}

/** Sleeps, waking early when the process exits or the run is aborted. */
async function pause(ms: number, exited: Promise<unknown>, signal: AbortSignal, clock: Clock): Promise<void> {
  const wake = new AbortController();
  const onAbort = (): void => wake.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  void exited.then(onAbort);
  await clock.sleep(ms, wake.signal);
  wake.abort();
  signal.removeEventListener('abort', onAbort);
}
