/** One run end to end: engine check, stale-resource prune, execution, evidence, results. */
import { RunCache, type CacheSettings } from '../cache/phase-cache.js';
import { TreeDigester } from '../cache/tree-digest.js';
import type { StepGraph } from '../compile/graph.js';
import type { TestPlan } from '../dsl/plan.js';
import type { Driver, DriverInfo, RunIdentity } from '../drivers/driver.js';
import { InfrastructureError } from '../errors.js';
import { redactEvent, type EventSink } from '../execute/events.js';
import { makeRedactor } from '../dsl/redactor.js';
import { executePlan } from '../execute/execute-plan.js';
import { redactResults } from '../report/redact-results.js';
import type { RunResults } from '../report/results.js';
import { gitInfo, type GitInfo } from './git-info.js';
import { loadLater } from './load-later.js';
import { createOutputResults } from './output-results.js';
import { readRunHistory } from './run-history.js';

export interface RunPlanOptions {
  readonly plan: TestPlan;
  readonly graph: StepGraph;
  readonly driver: Driver;
  readonly run: RunIdentity;
  readonly concurrency?: number;
  readonly failFast?: boolean;
  readonly keep?: boolean;
  readonly signal: AbortSignal;
  readonly onEvent: EventSink;
  readonly now?: () => number;
  /** The engine check, when the caller started it early (while the plan loaded). */
  readonly engineCheck?: Promise<DriverInfo>;
  /** The phase results cache (src/cache); used only when the driver's images are content-addressed. */
  readonly cache?: CacheSettings & { readonly statCacheDir?: string };
  /** The plan folder's git state, when the caller started reading it early (while the plan loaded). */
  readonly git?: Promise<GitInfo | undefined>;
}

export async function runPlan(options: RunPlanOptions): Promise<RunResults> {
  const { plan, graph, driver, run, signal } = options;
  const now = options.now ?? Date.now;
  const startedAt = now();
  // Evidence parsers, gates and results are needed at the end only: they load while the engine works.
  const results$ = loadLater(() => import('./build-results.js'));
  const secrets = plan.secrets.map((s) => s.reveal());
  // Every consumer (console reporters, run.log) gets events through the one redactor.
  const redact = makeRedactor(secrets);
  const onEvent: EventSink = (event) => {
    results$.onEvent(event);
    options.onEvent(redactEvent(event, redact));
  };
  // Independent start-up calls run together: they sit on the path to the first container.
  const described = (options.engineCheck ?? driver.describe()).then(
    (info) => ({ info }),
    (error: unknown) => ({ error }),
  );
  const pruned = described.then((d) =>
    'info' in d ? driver.prune({ plan: plan.name }).catch(() => undefined) : undefined,
  );
  // The changes are read before anything runs: the working tree as the run tests it.
  const changedBase = plan.gates.changedLines?.base;
  // Read alongside, never waited for to start: a crowded folder of runs must not delay the first container.
  const history = readRunHistory(plan, run.outDir).catch(() => ({ shardFileMs: new Map(), readyMs: new Map() }));
  const [git, engine, changes] = await Promise.all([
    options.git ?? gitInfo(plan.dir),
    described,
    // Loaded only for a plan with the changed-lines gate: it pulls in the evidence parsers.
    changedBase === undefined
      ? undefined
      : import('./git-changes.js').then(({ readChanges }) => readChanges(plan.dir, changedBase)),
  ]);
  if ('error' in engine) {
    const { error } = engine;
    if (!(error instanceof InfrastructureError)) throw error;
    const { engineFailureResults } = await results$.get();
    return redactResults(
      engineFailureResults({ plan, graph, run, git, startedAt, finishedAt: now(), driver: driver.kind, error }),
      secrets,
    );
  }
  const info: DriverInfo = engine.info;
  onEvent({ kind: 'run-started', runId: run.runId, plan: plan.name, driver: info.engine, at: startedAt });

  const outputResults = createOutputResults(plan);
  const cache = options.cache && driver.capabilities.contentAddressedImages ? new RunCache(options.cache) : undefined;
  const toRun = cache
    ? await cache.prepare({
        plan,
        graph,
        driver,
        run,
        signal,
        onEvent,
        now,
        digester: new TreeDigester(options.cache?.statCacheDir),
      })
    : graph;
  for (const event of cache?.replay() ?? []) outputResults.onEvent(event);
  const executed = await executePlan(plan, toRun, driver, {
    run,
    signal,
    onEvent: (event) => {
      outputResults.onEvent(event);
      cache?.onEvent(event);
      onEvent(event);
    },
    ...(cache ? { images: cache.preparedImages } : {}),
    now,
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    failFast: options.failFast ?? false,
    keep: options.keep ?? false,
    history,
  });
  // Pruning what dead runs of this plan left touches none of this run's resources: it runs alongside.
  await pruned;
  const record = cache ? cache.merge(graph, executed) : executed;
  const { buildResults } = await results$.get();
  const built = await buildResults({
    plan,
    graph: toRun,
    run,
    git,
    startedAt,
    finishedAt: now(),
    info,
    record,
    outputResults,
    ...(changes ? { changes } : {}),
  });
  const results = cache ? await cache.finish(built, record, run.outDir) : built;
  return redactResults(results, secrets);
}
