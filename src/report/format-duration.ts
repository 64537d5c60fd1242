/** Durations in reports: the DSL's formatter (`850ms`, `4.2s`, `4m 12s`), and `—` when unknown. */
import { formatDuration as formatKnownDuration } from '../dsl/duration.js';

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  return formatKnownDuration(ms);
}
