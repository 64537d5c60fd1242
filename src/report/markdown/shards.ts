/** The report's per-shard table for each sharded phase: durations, counts, files and the balance. */
import { formatDuration } from '../format-duration.js';
import type { PhaseResult, RunResults } from '../results.js';
import { cell, table } from './escape.js';
import { mark } from './status-marks.js';

const SPLIT_BY = {
  duration: "split by the last run's durations",
  size: 'split by file size (no earlier durations)',
  runner: 'the runner shards itself',
} as const;

/** Slowest over fastest shard: 1.00 is perfect balance. */
export function shardBalance(phase: PhaseResult): { slowestMs: number; fastestMs: number; ratio: number } | undefined {
  const ran = (phase.shards?.list ?? []).filter((s) => s.attempts.length > 0);
  if (ran.length < 2) return undefined;
  const times = ran.map((s) => s.durationMs);
  const slowestMs = Math.max(...times);
  const fastestMs = Math.min(...times);
  return { slowestMs, fastestMs, ratio: fastestMs > 0 ? slowestMs / fastestMs : Number.POSITIVE_INFINITY };
}

function phaseShards(phase: PhaseResult): string | undefined {
  const shards = phase.shards;
  if (!shards) return undefined;
  const rows = shards.list.map((s) => [
    `${s.index}/${shards.list.length}`,
    s.files ? String(s.files.length) : '—',
    s.counts ? String(s.counts.total - s.counts.skipped) : '—',
    s.counts ? String(s.counts.failed + s.counts.errored) : '—',
    formatDuration(s.durationMs),
    s.attempts.length > 1 ? String(s.attempts.length) : '1',
    s.message ? `${mark(s.status)} ${cell(s.message)}` : mark(s.status),
  ]);
  const balance = shardBalance(phase);
  const fewer = shards.list.length < shards.requested ? `, ${shards.requested} asked (fewer files than shards)` : '';
  const head = `### Shards of ${cell(phase.name)}\n\n_${shards.list.length} shards, ${SPLIT_BY[shards.split]}${fewer}.${
    balance
      ? ` Balance: slowest ${formatDuration(balance.slowestMs)}, fastest ${formatDuration(balance.fastestMs)} (×${balance.ratio.toFixed(2)})._`
      : '_'
  }`;
  return `${head}\n\n${table(['Shard', 'Files', 'Executed', 'Failed', 'Duration', 'Attempts', 'Status'], rows)}`;
}

export function shardsSection(results: RunResults): string | undefined {
  const parts = results.phases.flatMap((p) => {
    const part = phaseShards(p);
    return part ? [part] : [];
  });
  return parts.length > 0 ? `## Shards\n\n${parts.join('\n\n')}` : undefined;
}
