import path from 'node:path';
import { compilePlan } from '../../compile/compile.js';
import type { DriverKind } from '../../drivers/driver.js';
import { EXIT } from '../../errors.js';
import { loadPlanFile } from '../../load/load-plan.js';
import { writeReports } from '../../report/write-reports.js';
import { newRunId, runIdentity } from '../../run/run-identity.js';
import { runPlan } from '../../run/run-plan.js';
import { lockOutDir } from '../../run/out-dir.js';
import { atMostOne, loadTimeout, oneOf, parseCommand, positiveInt } from '../args.js';
import { createDriver, DRIVER_KINDS } from '../choose-driver.js';
import type { CommandContext } from '../context.js';
import { choosePlanFile } from '../plan-file.js';
import { createReporters, reporterNames } from '../reporters/registry.js';
import { openRunLog } from '../reporters/run-log.js';

export async function runCommand(argv: readonly string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseCommand('run', argv);
  const driverKind: DriverKind = oneOf('--driver', values.driver ?? ctx.env.TESTPLAN_DRIVER, DRIVER_KINDS, 'docker');
  const concurrency = positiveInt('--concurrency', values.concurrency);
  const reporters = reporterNames(ctx, values.reporter);
  const file = await choosePlanFile(ctx.cwd, atMostOne('run', positionals));
  // The driver loads and the engine answers while the plan loads: both sit on the path to the first container.
  const driverEnv = values.registry ? { ...ctx.env, TESTPLAN_SWARM_REGISTRY: values.registry } : ctx.env;
  const driverReady = createDriver(driverKind, path.dirname(file), driverEnv);
  const engineCheck = driverReady.then((d) => d.describe());
  engineCheck.catch(() => undefined); // reported by runPlan; never an unhandled rejection if the plan is invalid
  const plan = await loadPlanFile(file, loadTimeout(values['load-timeout']));
  const graph = compilePlan(plan, { phases: values.phase ?? [], profiles: values.profile ?? [] });

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
      log.onEvent(event);
      reporter.onEvent(event);
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
        engineCheck,
        signal: interrupt.signal,
        onEvent,
        failFast: values['fail-fast'],
        keep: values.keep,
        ...(concurrency ? { concurrency } : {}),
      });
      await log.close();
      const written = await writeReports(results, outDir, ctx.env);
      await reporter.onFinished({ results, written: Object.values(written).map(ctx.relative), kept: values.keep });
      return results.exitCode;
    } finally {
      stopListening();
      await reporter.close();
      await log.close();
    }
  } finally {
    outLock.release();
  }
}
