/** What the executor learns about the shards of a sharded phase; results.json's per-shard block is read from it. */
import type { ShardSplit } from '../compile/shards.js';
import type { CollectedFile, PhaseHandle, ReadyOutcome, ServiceExit, ServiceHandle } from '../drivers/driver.js';
import type { AttemptRecord } from './run-state.js';

/** One shard's own instance of a plan service. */
export interface ShardServiceState {
  /** The plan's service name. */
  readonly service: string;
  /** The instance's own name (network alias, container label): `<service>--<phase>-s<index>`. */
  readonly instance: string;
  handle?: ServiceHandle;
  ready?: ReadyOutcome;
  exit?: ServiceExit;
  logTail: readonly string[];
  /** Why it is not up, when it is not. */
  message?: string;
}

export interface ShardState {
  /** From 1. */
  readonly index: number;
  readonly count: number;
  /** The files this shard was given (`shard.files`); absent when the runner shards itself. */
  readonly files?: readonly string[];
  /** Bytes per file of `files`, as listed. */
  readonly sizes?: Readonly<Record<string, number>>;
  readonly attempts: AttemptRecord[];
  /** The last attempt's container, kept until its files are collected. */
  handle?: PhaseHandle;
  collected: readonly CollectedFile[];
  readonly services: ShardServiceState[];
  /** Set when the shard could not run (a service not ready, no slot before cancel). */
  failure?: string;
  cancelled?: boolean;
}

export interface ShardsState {
  /** How the files were split (absent for `shard: N`). */
  split?: ShardSplit['by'];
  /** The count the plan asked for (fewer run when fewer files matched). */
  readonly requested: number;
  /** The listing failed or found nothing: no shard ran. */
  listingError?: string;
  readonly list: ShardState[];
}

/** The last run's duration per test file, by phase (part of `RunHistory`). */
export type ShardHistory = ReadonlyMap<string, ReadonlyMap<string, number>>;
