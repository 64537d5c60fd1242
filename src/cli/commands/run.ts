import { compilePlan } from '../../compile/compile.js';
import type { DriverKind } from '../../drivers/driver.js';
import { loadPlanFile } from '../../load/load-plan.js';
import { writeReports } from '../../report/write-reports.js';
import { newRunId, runIdentity } from '../../run/run-identity.js';
import { runPlan } from '../../run/run-plan.js';
import { lockOutDir } from '../../run/out-dir.js';
import { atMostOne, loadTimeout, oneOf, parseCommandArgs, positiveInt } from '../args.js';
import { createDriver, DRIVER_KINDS } from '../choose-driver.js';
import type { CommandContext } from '../context.js';
import { choosePlanFile } from '../plan-file.js';
import { startRunOutput } from '../run-output.js';
import { printOutcome } from '../print-outcome.js';
import { printWorkflowCommands } from '../workflow-commands.js';
import path from 'node:path';

export async function runCommand(argv: readonly string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs('run', argv, {
    'load-timeout': { type: 'string' },
    phase: { type: 'string', multiple: true },
    profile: { type: 'string', multiple: true },
    driver: { type: 'string' },
    concurrency: { type: 'string' },
    'fail-fast': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    out: { type: 'string' },
    quiet: { type: 'boolean', short: 'q', default: false },
    verbose: { type: 'boolean', short: 'v', default: false },
  });
  const driverKind: DriverKind = oneOf('--driver', values.driver ?? ctx.env.TESTPLAN_DRIVER, DRIVER_KINDS, 'docker');
  const concurrency = positiveInt('--concurrency', values.concurrency);
  const file = await choosePlanFile(ctx.cwd, atMostOne('run', positionals));
  // The driver loads and the engine answers while the plan loads: both sit on the path to the first container.
  const driverReady = createDriver(driverKind, path.dirname(file), ctx.env);
  const engineCheck = driverReady.then((d) => d.describe());
  engineCheck.catch(() => undefined); // reported by runPlan; never an unhandled rejection if the plan is invalid
  const plan = await loadPlanFile(file, loadTimeout(values['load-timeout']));
  const graph = compilePlan(plan, { phases: values.phase ?? [], profiles: values.profile ?? [] });

  const runId = newRunId(plan.name, new Date());
  const outDir = path.resolve(ctx.cwd, values.out ?? path.join('.testplan', 'runs', runId));
  const run = runIdentity(plan.name, runId, outDir);
  const outLock = lockOutDir(outDir, { runId, plan: plan.name, shown: values.out === undefined ? ctx.relative(outDir) : `--out ${values.out}` });
  const driver = await driverReady.catch((error: unknown) => {
    outLock.release();
    throw error;
  });

  const interrupt = new AbortController();
  let signals = 0;
  const output = await startRunOutput(ctx, {
    outDir,
    verbosity: values.quiet ? 'quiet' : values.verbose ? 'verbose' : 'normal',
    phaseSources: new Set(graph.phases),
    steps: graph.steps,
  }).catch((error: unknown) => {
    outLock.release();
    throw error;
  });
  const stopListening = ctx.onSignal((signal) => {
    signals++;
    output.onEvent({ kind: 'interrupted', signal, force: signals > 1 });
    if (signals === 1) interrupt.abort();
    else void driver.cleanupRun(run).finally(() => process.exit(130));
  });
  try {
    const results = await runPlan({
      plan,
      graph,
      driver,
      run,
      engineCheck,
      signal: interrupt.signal,
      onEvent: output.onEvent,
      failFast: values['fail-fast'],
      keep: values.keep,
      ...(concurrency ? { concurrency } : {}),
    });
    await output.close();
    const written = await writeReports(results, outDir, ctx.env);
    printWorkflowCommands(ctx, results);
    printOutcome(ctx, results, Object.values(written), values.keep ? run : undefined);
    return results.exitCode;
  } finally {
    stopListening();
    await output.close();
    outLock.release();
  }
}
