/** Runs a compiled plan on a driver and always cleans up what the run created. */
import os from 'node:os';
import type { StepGraph } from '../compile/graph.js';
import type { TestPlan } from '../dsl/plan.js';
import type { Driver, ImageHandle, RunIdentity } from '../drivers/driver.js';
import type { EventSink } from './events.js';
import { PlanStepRunner } from './plan-step-runner.js';
import { emptyRunState, type RunState } from './run-state.js';
import { schedule, type StepRecord } from './scheduler.js';
import type { RunHistory } from './run-history.js';

export interface ExecuteOptions {
  readonly run: RunIdentity;
  readonly concurrency?: number;
  readonly failFast?: boolean;
  readonly keep?: boolean;
  readonly signal?: AbortSignal;
  readonly onEvent?: EventSink;
  readonly now?: () => number;
  /** What the last run measured (per-file durations for balancing shards, how long services took to be ready), being read. */
  readonly history?: Promise<RunHistory>;
  /** Plan images prepared before the run (the phase cache needs their ids first); their build steps are not in the graph. */
  readonly images?: ReadonlyMap<string, ImageHandle>;
}

export interface ExecutionRecord {
  readonly steps: readonly StepRecord[];
  readonly state: RunState;
  readonly interrupted: boolean;
}

export async function executePlan(
  plan: TestPlan,
  graph: StepGraph,
  driver: Driver,
  options: ExecuteOptions,
): Promise<ExecutionRecord> {
  const signal = options.signal ?? new AbortController().signal;
  const onEvent = options.onEvent ?? (() => {});
  const state = emptyRunState();
  for (const [name, handle] of options.images ?? []) state.images.set(name, handle);
  const runner = new PlanStepRunner(
    plan,
    driver,
    options.run,
    state,
    onEvent,
    graph.sharedNamespace,
    options.history,
    // Phases that run here (restored ones are not in the graph's steps).
    graph.steps.flatMap((s) => (s.kind === 'run-phase' ? [s.phase] : [])),
  );
  try {
    const steps = await schedule(graph, runner, {
      concurrency: options.concurrency ?? os.availableParallelism(),
      failFast: options.failFast ?? false,
      keep: options.keep ?? false,
      signal,
      onEvent,
      ...(options.now ? { now: options.now } : {}),
    });
    return { steps, state, interrupted: signal.aborted };
  } finally {
    // Phases prepared ahead that never ran are released even with --keep (which keeps what ran).
    await runner.releaseUnused().catch(() => undefined);
    // Belt and braces: whatever teardown steps missed (a crash, an abort mid-start) goes by label.
    if (!options.keep) await driver.cleanupRun(options.run);
  }
}
