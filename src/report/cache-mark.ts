/** `cached — from run <id>, <date>, commit <sha>`: the one spelling of a restored phase's mark (report, console). */
import type { PhaseCache } from './results.js';

export function cachedMark(from: NonNullable<PhaseCache['from']>): string {
  const commit = from.commit ? `, commit ${from.commit.slice(0, 12)}${from.dirty ? ' (dirty)' : ''}` : '';
  return `cached — from run ${from.runId}, ${from.date}${commit}`;
}
