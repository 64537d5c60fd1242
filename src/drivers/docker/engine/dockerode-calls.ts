/** What every dockerode call of the adapter shares: errors become `EngineError`, label filters, listed items. */
import { EngineError } from './engine-error.js';
import type { LabelSelector, Labelled } from './engine.js';

/** Runs one engine call; a failure rejects with `EngineError` carrying the HTTP status dockerode saw. */
export async function engineCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof EngineError) throw err;
    const status = (err as { statusCode?: unknown } | null)?.statusCode;
    const message = err instanceof Error ? err.message : String(err);
    throw new EngineError(message, typeof status === 'number' ? status : undefined, { cause: err });
  }
}

/** Engine list filter (`{"label":["k=v","k"]}`) as the JSON string the API expects. */
export function labelFilter(selector: LabelSelector): string {
  const label = Object.entries(selector).map(([k, v]) => (v === undefined ? k : `${k}=${v}`));
  return JSON.stringify({ label });
}

export function toLabelled(id: string, labels: Readonly<Record<string, string>> | null | undefined): Labelled {
  return { id, labels: { ...(labels ?? {}) } };
}
