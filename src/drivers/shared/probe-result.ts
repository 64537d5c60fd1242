/** One readiness check: did it pass, and what did it say (kept for the failure message). */
export interface ProbeResult {
  readonly ok: boolean;
  readonly output: string;
}

/** A probe result that also says whether the address could not be reached at all (try another way). */
export interface NetworkProbeResult extends ProbeResult {
  readonly unroutable: boolean;
}

/** One probe attempt; `timeoutMs` is what is left of the wait, so the last attempt gets a fair chance. */
export type ProbeAttempt = (signal: AbortSignal, timeoutMs: number) => Promise<ProbeResult>;

export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    return code && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}
