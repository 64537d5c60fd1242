/** What the executor learned while running the steps; the results builder reads it. */
import type {
  CollectedFile,
  ImageHandle,
  PhaseHandle,
  ReadyOutcome,
  ServiceExit,
  ServiceHandle,
} from '../drivers/driver.js';
import type { ShardsState } from './shard-state.js';

export interface AttemptRecord {
  readonly attempt: number;
  readonly exitCode: number | null;
  readonly timedOut: boolean;
  readonly aborted: boolean;
  readonly durationMs: number;
  readonly logTail: readonly string[];
  /** Error-looking lines of the attempt's whole output (text/error-lines.ts), not only of its tail. */
  readonly errorLines?: readonly string[];
}

export interface PhaseState {
  readonly attempts: AttemptRecord[];
  /** The last attempt's container, kept until its files are collected. */
  handle?: PhaseHandle;
  collected: readonly CollectedFile[];
  /** A sharded phase: its shards (the phase itself has no attempts of its own). */
  shards?: ShardsState;
}

/** How a service's `setup` commands went. */
export interface SetupRecord {
  readonly ok: boolean;
  readonly durationMs: number;
  /** Commands that ran (the failing one included). */
  readonly ran: number;
  /** Why it failed: the command (masked), its exit code or timeout, its last output lines (masked). */
  readonly failure?: {
    readonly index: number;
    readonly command: string;
    readonly exitCode: number | null;
    readonly timedOut: boolean;
    readonly outputTail: readonly string[];
  };
}

export interface ServiceState {
  handle?: ServiceHandle;
  ready?: ReadyOutcome;
  setup?: SetupRecord;
  /** Set when the service was found dead while a phase that uses it was about to run or running. */
  exit?: ServiceExit;
  logTail: readonly string[];
}

export interface CheckState {
  exitCode: number | null;
  timedOut: boolean;
  logTail: readonly string[];
}

export interface RunState {
  readonly images: Map<string, ImageHandle>;
  /** By service instance (`instanceKey`): a shared service under its name, a phase's own as `name@phase`. */
  readonly services: Map<string, ServiceState>;
  readonly phases: Map<string, PhaseState>;
  readonly checks: Map<string, CheckState>;
  networkCreated: boolean;
  /** The first infrastructure failure (exit 3), if any. */
  infraError?: { readonly code: string; readonly message: string };
}

export function emptyRunState(): RunState {
  return { images: new Map(), services: new Map(), phases: new Map(), checks: new Map(), networkCreated: false };
}
