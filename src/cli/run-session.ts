/**
 * `plan run` once its plan is loaded (commands/run.ts starts the run and loads this module meanwhile):
 * compile, lock the output folder, run, compare with the previous run and write the reports.
 */
import path from 'node:path';
import { compilePlan } from '../compile/compile.js';
import { selectionNotes } from '../compile/select.js';
import { sharingWarnings } from '../compile/sharing-warnings.js';
import type { Driver, DriverInfo, DriverKind } from '../drivers/driver.js';
import type { TestPlan } from '../dsl/plan.js';
import { EXIT } from '../errors.js';
import type { CacheSettings } from '../cache/phase-cache.js';
import type { GitInfo } from '../run/git-info.js';
import { loadLater } from '../run/load-later.js';
import { lockOutDir } from '../run/out-dir.js';
import { newRunId, runIdentity } from '../run/run-identity.js';
import { runPlan } from '../run/run-plan.js';
import type { ParsedArgs } from './args.js';
import type { COMMANDS } from './command-table.js';
import type { CommandContext } from './context.js';
import type { Profile } from './profile.js';
import type { ReporterName } from './reporters/names.js';
import { createReporters } from './reporters/registry.js';
import { openRunLog } from './reporters/run-log.js';

export interface RunSession {
  readonly ctx: CommandContext;
  readonly values: ParsedArgs<(typeof COMMANDS)['run']['options']>['values'];
  readonly plan: TestPlan;
  readonly file: string;
  readonly driverKind: DriverKind;
  readonly driverReady: Promise<Driver>;
  readonly engineCheck: Promise<DriverInfo>;
  readonly git: Promise<GitInfo | undefined>;
  readonly cache: CacheSettings & { readonly statCacheDir: string };
  readonly reporters: readonly ReporterName[];
  readonly cliConcurrency?: number;
  readonly profile: Profile;
}

export async function runSession(session: RunSession): Promise<number> {
  const { ctx, values, plan, file, driverKind, driverReady, profile } = session;
  const graph = compilePlan(plan, {
    phases: values.phase ?? [],
    profiles: values.profile ?? [],
    needs: !values['no-needs'],
  });
  // --concurrency, else the plan's concurrency, else the number of cores (executePlan's default).
  const concurrency = session.cliConcurrency ?? plan.concurrency;
  if (!values.quiet) {
    for (const note of selectionNotes(graph.selection)) ctx.stderr(`${note}\n`);
    for (const w of sharingWarnings(plan, graph.phases, concurrency))
      ctx.stderr(`warning: ${ctx.relative(file)}: ${w.path}: ${w.message}\n`);
  }

  const runId = newRunId(plan.name, new Date());
  const outDir = path.resolve(ctx.cwd, values.out ?? path.join('.testplan', 'runs', runId));
  const run = runIdentity(plan.name, runId, outDir);
  // Refused (exit 2) when another live run writes to the same folder; nothing has started yet.
  const outLock = lockOutDir(outDir, {
    runId,
    plan: plan.name,
    shown: values.out === undefined ? ctx.relative(outDir) : `--out ${values.out}`,
  });
  try {
    const driver = await driverReady;

    const interrupt = new AbortController();
    let signals = 0;
    const log = await openRunLog(outDir);
    const reporter = createReporters(ctx, session.reporters, {
      verbosity: values.quiet ? 'quiet' : values.verbose ? 'verbose' : 'normal',
      steps: graph.steps,
      driver: driverKind,
      run,
    });
    // The report writers and the comparison with the previous run (which compiles its results.json
    // check) are needed at the end only: they load while the engine works.
    const reports = loadLater(() => import('../report/write-reports.js'));
    const baseline = values['no-baseline']
      ? undefined
      : loadLater(() =>
          import('../run/baseline.js').then((m) => {
            m.prepareBaseline();
            return m;
          }),
        );
    const onEvent: typeof reporter.onEvent = (event) => {
      profile.onEvent(event);
      log.onEvent(event);
      reporter.onEvent(event);
      reports.onEvent(event);
      baseline?.onEvent(event);
    };
    const stopListening = ctx.onSignal((signal) => {
      signals++;
      onEvent({ kind: 'interrupted', signal, force: signals > 1 });
      if (signals === 1) interrupt.abort();
      else void driver.cleanupRun(run).finally(() => ctx.exit(EXIT.interrupted));
    });
    try {
      const results = await runPlan({
        plan,
        graph,
        driver,
        run,
        engineCheck: session.engineCheck,
        cache: session.cache,
        git: session.git,
        signal: interrupt.signal,
        onEvent,
        failFast: values['fail-fast'],
        keep: values.keep,
        ...(concurrency ? { concurrency } : {}),
      });
      profile.mark('results built');
      await log.close();
      // `--no-baseline` leaves the results as they are (attachBaseline would return them unchanged).
      const compared = baseline
        ? await (await baseline.get()).attachBaseline(results, {
            choice: values.baseline,
            outDir,
            cwd: ctx.cwd,
            secrets: plan.secrets.map((s) => s.reveal()),
          })
        : results;
      const written = await (await reports.get()).writeReports(compared, outDir, ctx.env);
      profile.mark('reports written');
      await reporter.onFinished({
        results: compared,
        written: Object.values(written).map(ctx.relative),
        kept: values.keep,
      });
      return results.exitCode;
    } finally {
      stopListening();
      await reporter.close();
      await log.close();
    }
  } finally {
    outLock.release();
    profile.mark('run command done');
  }
}
