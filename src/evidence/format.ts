/** Human text for gate thresholds and actual values. */

/** Percent with one decimal, rounded DOWN so that a failing value never prints as the threshold. */
export function formatPercent(covered: number, total: number): string {
  const tenths = Math.floor((covered * 1000) / total);
  return `${(tenths / 10).toFixed(1)}%`;
}

export function formatThresholdPercent(threshold: number): string {
  return `≥ ${threshold}%`;
}

/** `250ms`, `12.5s`, `4m 12s`, `5m`, `1h 3m`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return 'n/a';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${trimZero((Math.floor(ms / 100) / 10).toFixed(1))}s`;
  const totalSeconds = Math.floor(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) return minutes > 0 ? `${hours}h ${minutes}m` : `${hours}h`;
  return seconds > 0 ? `${minutes}m ${seconds}s` : `${minutes}m`;
}

function trimZero(text: string): string {
  return text.endsWith('.0') ? text.slice(0, -2) : text;
}

/** Keeps a list readable: the first `max` lines, then `… and N more`. */
export function capList(lines: readonly string[], max: number, noun = 'more'): string[] {
  if (lines.length <= max) return [...lines];
  return [...lines.slice(0, max), `… and ${lines.length - max} ${noun}`];
}
