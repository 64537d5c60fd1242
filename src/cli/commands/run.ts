import path from 'node:path';
import { compilePlan } from '../../compile/compile.js';
import { selectionNotes } from '../../compile/select.js';
import { sharingWarnings } from '../../compile/sharing-warnings.js';
import type { DriverKind } from '../../drivers/driver.js';
import { EXIT } from '../../errors.js';
import { loadPlanFile } from '../../load/load-plan.js';
import { newRunId, runIdentity } from '../../run/run-identity.js';
import { gitInfo } from '../../run/git-info.js';
import { runPlan } from '../../run/run-plan.js';
import { lockOutDir } from '../../run/out-dir.js';
import { atMostOne, loadTimeout, oneOf, parseCommand, positiveInt } from '../args.js';
import { createDriver, DRIVER_KINDS } from '../choose-driver.js';
import { cacheSettings } from '../cache-settings.js';
import type { CommandContext } from '../context.js';
import { choosePlanFile } from '../plan-file.js';
import { createReporters, reporterNames } from '../reporters/registry.js';
import { openRunLog } from '../reporters/run-log.js';
import { createProfile } from '../profile.js';

export async function runCommand(argv: readonly string[], ctx: CommandContext): Promise<number> {
  const profile = createProfile(ctx.env, ctx.stderr);
  profile.mark('run command loaded');
  const { values, positionals } = parseCommand('run', argv);
  const driverKind: DriverKind = oneOf('--driver', values.driver ?? ctx.env.TESTPLAN_DRIVER, DRIVER_KINDS, 'docker');
  const cliConcurrency = positiveInt('--concurrency', values.concurrency);
  const reporters = reporterNames(ctx, values.reporter);
  const cache = cacheSettings(
    { ...values, 'cache-from': values['cache-from'] ?? ctx.env.TESTPLAN_CACHE_FROM },
    ctx.cwd,
    ctx.env,
  );
  const file = await choosePlanFile(ctx.cwd, atMostOne('run', positionals));
  // The driver loads, the engine answers and git reports while the plan loads: all sit on the path to the first container.
  const git = gitInfo(path.dirname(file));
  const driverEnv = values.registry ? { ...ctx.env, TESTPLAN_SWARM_REGISTRY: values.registry } : ctx.env;
  const driverReady = createDriver(driverKind, path.dirname(file), driverEnv);
  profile.settled(driverReady, 'driver loaded');
  const engineCheck = driverReady.then((d) => d.describe());
  profile.settled(engineCheck, 'engine answered');
  engineCheck.catch(() => undefined); // reported by runPlan; never an unhandled rejection if the plan is invalid
  const plan = await loadPlanFile(file, loadTimeout(values['load-timeout']));
  profile.mark('plan loaded');
  const graph = compilePlan(plan, {
    phases: values.phase ?? [],
    profiles: values.profile ?? [],
    needs: !values['no-needs'],
  });
  // --concurrency, else the plan's concurrency, else the number of cores (executePlan's default).
  const concurrency = cliConcurrency ?? plan.concurrency;
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
    const reporter = createReporters(ctx, reporters, {
      verbosity: values.quiet ? 'quiet' : values.verbose ? 'verbose' : 'normal',
      steps: graph.steps,
      driver: driverKind,
      run,
    });
    const onEvent: typeof reporter.onEvent = (event) => {
      profile.onEvent(event);
      log.onEvent(event);
      reporter.onEvent(event);
    };
    const stopListening = ctx.onSignal((signal) => {
      signals++;
      onEvent({ kind: 'interrupted', signal, force: signals > 1 });
      if (signals === 1) interrupt.abort();
      else void driver.cleanupRun(run).finally(() => ctx.exit(EXIT.interrupted));
    });
    // The report writers are needed at the end only: they load while the engine works.
    const reports = import('../../report/write-reports.js');
    reports.catch(() => undefined); // awaited (and thrown) below
    try {
      const results = await runPlan({
        plan,
        graph,
        driver,
        run,
        engineCheck,
        cache,
        git,
        signal: interrupt.signal,
        onEvent,
        failFast: values['fail-fast'],
        keep: values.keep,
        ...(concurrency ? { concurrency } : {}),
      });
      profile.mark('results built');
      await log.close();
      // Loaded once the run is done: the comparison and the results reader are not on the path to the first container.
      const { attachBaseline } = await import('../../run/baseline.js');
      const compared = await attachBaseline(results, {
        choice: values['no-baseline'] ? false : values.baseline,
        outDir,
        cwd: ctx.cwd,
        secrets: plan.secrets.map((s) => s.reveal()),
      });
      const written = await (await reports).writeReports(compared, outDir, ctx.env);
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
