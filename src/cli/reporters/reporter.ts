/**
 * Reporters consume a run: its events as they happen, then its results. The console views, the GitHub
 * workflow commands and the JSON event stream are reporters chosen with `--reporter` (vitest's design);
 * the files of the run (run.log, results.json, report.md, junit.xml) are always written.
 */
import type { Step } from '../../compile/graph.js';
import type { DriverKind, RunIdentity } from '../../drivers/driver.js';
import type { RunEvent } from '../../execute/events.js';
import type { RunResults } from '../../report/results.js';
import type { CommandContext } from '../context.js';
import type { Verbosity } from './console-options.js';

export interface RunStart {
  readonly verbosity: Verbosity;
  readonly steps: readonly Step[];
  readonly driver: DriverKind;
  readonly run: RunIdentity;
}

export interface RunFinished {
  readonly results: RunResults;
  /** The files the run wrote, relative to where plan runs. */
  readonly written: readonly string[];
  /** Set when --keep left services running. */
  readonly kept: boolean;
}

export interface Reporter {
  onEvent(event: RunEvent): void;
  onFinished(finished: RunFinished): void | Promise<void>;
  /** Stops timers and flushes; called once, also when the run threw. */
  close?(): void | Promise<void>;
}

export type ReporterFactory = (ctx: CommandContext, start: RunStart) => Reporter;
