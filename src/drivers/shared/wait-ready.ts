/**
 * The one readiness loop every driver uses; a driver supplies only its probe attempt and how it
 * learns that the service exited.
 *
 * Timing: probes run at the probe's `interval` (default 50 ms) for the first second, then the
 * pause grows ×1.5 per probe up to 500 ms (or the interval, if longer). Output from the service
 * (`onChange`) brings the next probe forward, never sooner than `OUTPUT_PROBE_GAP_MS` (or the interval,
 * if shorter) after the previous one started: a service prints "ready" the moment it is, and waiting out
 * the rest of the interval then is the whole wait. `retries: N` gives up after N failed probes; 0 or
 * unset sets no limit, as a HEALTHCHECK's retries: only `timeout` ends the wait. A service that exits fails the wait at once, even when
 * the probe passed in the same moment (a port answering after our service died belongs to someone else).
 */
import type { ReadyProbeSpec } from '../../dsl/plan.js';
import type { ReadyOutcome, ServiceExit } from '../driver.js';
import type { Clock } from './clock.js';
import type { ProbeAttempt, ProbeResult } from './probe-result.js';

export const FAST_PHASE_MS = 1000;
export const MAX_INTERVAL_MS = 500;
export const BACKOFF = 1.5;
/** Probes brought forward by output come at most this often (a chatty service must not become a probe storm). */
export const OUTPUT_PROBE_GAP_MS = 10;
/** The last attempt still gets this long to see an answer already on its way. */
const MIN_ATTEMPT_MS = 100;
const LOG_TAIL_LINES = 50;

export interface ReadinessTarget {
  readonly attempt: ProbeAttempt;
  /** Resolves when the service exits; never rejects (may never resolve). `stop` ends the watch. */
  readonly exited: (stop: AbortSignal) => Promise<ServiceExit>;
  readonly logTail: (lines: number) => Promise<readonly string[]>;
  /** Calls back when a probe might now pass (the service printed something); returns the way to stop. */
  readonly onChange?: (changed: () => void) => () => void;
}

type Timing = Pick<ReadyProbeSpec, 'intervalMs' | 'timeoutMs' | 'retries'>;
type Interrupt =
  | { readonly kind: 'exited'; readonly exit: ServiceExit }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'aborted' };

export async function waitUntilReady(
  probe: Timing,
  target: ReadinessTarget,
  signal: AbortSignal,
  clock: Clock,
): Promise<ReadyOutcome> {
  const started = clock.now();
  const deadline = started + probe.timeoutMs;
  const cap = Math.max(probe.intervalMs, MAX_INTERVAL_MS);
  const limit = probe.retries && probe.retries > 0 ? probe.retries : Infinity;
  const stop = new AbortController();
  const linked = AbortSignal.any([signal, stop.signal]);
  let exit: ServiceExit | undefined;
  const interrupt = firstInterrupt(target, probe.timeoutMs, signal, stop.signal, clock).then((i) => {
    if (i.kind === 'exited') exit = i.exit;
    return i;
  });
  const changes = new ChangeFlag();
  const stopWatching = target.onChange?.(() => changes.set());
  let probes = 0;
  let lastProbeOutput = '';
  let interval = Math.max(1, probe.intervalMs);

  const elapsed = (): number => Math.round(clock.now() - started);
  const fail = async (i: Interrupt | { readonly kind: 'retries' }): Promise<ReadyOutcome> => {
    const logTail = await target.logTail(LOG_TAIL_LINES).catch(() => [] as string[]);
    const ended =
      i.kind === 'exited'
        ? { ...(i.exit.exitCode !== null ? { exitCode: i.exit.exitCode } : {}), exitedAt: i.exit.at }
        : {};
    return { ready: false, reason: i.kind, elapsedMs: elapsed(), probes, lastProbeOutput, logTail, ...ended };
  };

  try {
    for (;;) {
      if (signal.aborted) return await fail({ kind: 'aborted' });
      if (exit) return await fail({ kind: 'exited', exit });
      probes += 1;
      const attemptStarted = clock.now();
      changes.clear();
      const attempt = target.attempt(linked, Math.max(MIN_ATTEMPT_MS, deadline - attemptStarted));
      const r: ProbeResult | Interrupt = await Promise.race([attempt, interrupt]);
      if ('kind' in r) return await fail(r);
      lastProbeOutput = r.output;
      await Promise.resolve(); // let an exit noticed in the same moment land first
      if (exit) return await fail({ kind: 'exited', exit });
      if (r.ok) return { ready: true, elapsedMs: elapsed(), probes };
      if (probes >= limit) return await fail({ kind: 'retries' });
      const remaining = deadline - clock.now();
      if (remaining <= 0) return await fail({ kind: 'timeout' });
      const woken = await pause(
        Math.min(interval, remaining),
        attemptStarted + Math.min(probe.intervalMs, OUTPUT_PROBE_GAP_MS),
        interrupt,
        changes,
        linked,
        clock,
      );
      if (woken) return await fail(woken);
      if (clock.now() >= deadline) return await fail({ kind: 'timeout' });
      if (clock.now() - started >= FAST_PHASE_MS) interval = Math.min(cap, interval * BACKOFF);
    }
  } finally {
    stop.abort();
    stopWatching?.();
  }
}

/** Resolves with whatever ends the wait first: the service exiting, the timeout, or an abort. */
function firstInterrupt(
  target: ReadinessTarget,
  timeoutMs: number,
  run: AbortSignal,
  stop: AbortSignal,
  clock: Clock,
): Promise<Interrupt> {
  const never = new Promise<never>(() => undefined);
  const exited = target.exited(stop).then(
    (exit) => ({ kind: 'exited' as const, exit }),
    () => never,
  );
  const timedOut = clock.sleep(timeoutMs, stop).then(() => (stop.aborted ? never : { kind: 'timeout' as const }));
  const aborted = new Promise<Interrupt>((resolve) => {
    if (run.aborted) return resolve({ kind: 'aborted' });
    const onAbort = (): void => resolve({ kind: 'aborted' });
    run.addEventListener('abort', onAbort, { once: true });
    stop.addEventListener('abort', () => run.removeEventListener('abort', onAbort), { once: true });
  });
  return Promise.race([exited, timedOut, aborted]);
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

/** Sleeps `ms`, or until `earliest` once the target changed; returns the interrupt if one came first. */
async function pause(
  ms: number,
  earliest: number,
  interrupt: Promise<Interrupt>,
  changes: ChangeFlag,
  signal: AbortSignal,
  clock: Clock,
): Promise<Interrupt | undefined> {
  const wake = new AbortController();
  const linked = AbortSignal.any([signal, wake.signal]);
  let hit: Interrupt | undefined;
  void interrupt.then((i) => {
    hit = i;
    wake.abort();
  });
  const stopWaiting = changes.whenSet(() => {
    const wait = earliest - clock.now();
    if (wait <= 0) wake.abort();
    else void clock.sleep(wait, linked).then(() => wake.abort());
  });
  await clock.sleep(ms, linked);
  wake.abort();
  stopWaiting();
  // The interrupt may have settled in the same tick as the sleep.
  await Promise.resolve();
  return hit ?? (signal.aborted ? { kind: 'aborted' } : undefined);
}
