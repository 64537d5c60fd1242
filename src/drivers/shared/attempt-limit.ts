/**
 * How an attempt ends early: `ctx.signal` aborts it, or it outlives its time limit; whichever comes
 * first is the one reported (a kill after a timeout is not an abort, and the other way round).
 */
export interface AttemptLimit {
  readonly timedOut: boolean;
  readonly aborted: boolean;
  /** Stops watching: call when the attempt has ended. */
  dispose(): void;
}

export function limitAttempt(signal: AbortSignal, timeoutMs: number | undefined, kill: () => void): AttemptLimit {
  let timedOut = false;
  let aborted = false;
  const onAbort = (): void => {
    if (timedOut) return;
    aborted = true;
    kill();
  };
  signal.addEventListener('abort', onAbort, { once: true });
  if (signal.aborted) onAbort();
  const timer =
    timeoutMs !== undefined
      ? setTimeout(
          () => {
            if (aborted) return;
            timedOut = true;
            kill();
          },
          Math.max(0, timeoutMs),
        )
      : undefined;
  return {
    get timedOut() {
      return timedOut;
    },
    get aborted() {
      return aborted;
    },
    dispose() {
      if (timer) clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    },
  };
}
