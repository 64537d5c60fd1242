/** One readiness check: did it pass, and what did it say (kept for the failure message). */
export interface ProbeResult {
  readonly ok: boolean;
  readonly output: string;
}

export type ProbeAttempt = (signal: AbortSignal) => Promise<ProbeResult>;

export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    return code && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}
