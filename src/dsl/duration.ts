/** Durations as users write them (`250ms`, `1.5s`, `30s`, `5m`, `1h`) and as the engine prints them. */

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;

/** Source of the duration pattern, shared with the JSON Schema so editors flag the same strings. */
export const DURATION_PATTERN = '^[0-9]+(\\.[0-9]+)?(ms|s|m|h)$';
const DURATION_RE = new RegExp(DURATION_PATTERN);

/** Milliseconds, or `undefined` when `text` is not a duration. */
export function parseDuration(text: string): number | undefined {
  if (!DURATION_RE.test(text)) return undefined;
  const unit = /(ms|s|m|h)$/.exec(text)?.[1] as keyof typeof UNIT_MS;
  const amount = Number(text.slice(0, text.length - unit.length));
  return Math.round(amount * UNIT_MS[unit]);
}

/** `850ms`, `4.2s`, `4m 12s`, `1h 5m`. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  if (total < 1_000) return `${total}ms`;
  if (total < 60_000) {
    const seconds = Math.round(total / 100) / 10;
    return seconds < 60 ? `${seconds}s` : '1m';
  }
  const totalSeconds = Math.round(total / 1_000);
  const hours = Math.floor(totalSeconds / 3_600);
  const minutes = Math.floor((totalSeconds % 3_600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) return minutes > 0 ? `${hours}h ${minutes}m` : `${hours}h`;
  return seconds > 0 ? `${minutes}m ${seconds}s` : `${minutes}m`;
}
