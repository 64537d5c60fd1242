import type { ShardHistory } from './shard-state.js';

/** What the last run of the plan measured, for scheduling this one (run/run-history.ts reads it). */
export interface RunHistory {
  /** Per sharded phase, milliseconds per test file: shards are balanced by it. */
  readonly shardFileMs: ShardHistory;
  /** Per service, milliseconds from started to ready and set up (the slowest of its instances). */
  readonly readyMs: ReadonlyMap<string, number>;
}
