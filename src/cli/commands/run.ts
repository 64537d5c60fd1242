/**
 * `plan run`, start-up half: checks the options, then sets off at once what sits on the path to the
 * first container — the plan's worker thread, the driver's modules and the engine check, git — and
 * loads the rest of the run (run-session.ts) while they work. This module's own imports stay light:
 * each of them delays all of that.
 */
import path from 'node:path';
import type { DriverKind } from '../../drivers/driver.js';
import { loadPlanFile } from '../../load/load-plan.js';
import { gitInfo } from '../../run/git-info.js';
import { atMostOne, loadTimeout, oneOf, parseCommand, positiveInt } from '../args.js';
import { cacheSettings } from '../cache-settings.js';
import { createDriver, DRIVER_KINDS } from '../choose-driver.js';
import type { CommandContext } from '../context.js';
import { choosePlanFile } from '../plan-file.js';
import { createProfile } from '../profile.js';
import { reporterNames } from '../reporters/names.js';

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
  // git's spawn first: forking while the worker thread starts up measured slower (every page that thread
  // writes is copied until git execs). Then the plan's worker (the longest), then the driver (the engine check).
  const git = gitInfo(path.dirname(file));
  const plan = loadPlanFile(file, loadTimeout(values['load-timeout']));
  const driverEnv = values.registry ? { ...ctx.env, TESTPLAN_SWARM_REGISTRY: values.registry } : ctx.env;
  const driverReady = createDriver(driverKind, path.dirname(file), driverEnv);
  profile.settled(driverReady, 'driver loaded');
  const engineCheck = driverReady.then((d) => d.describe());
  profile.settled(engineCheck, 'engine answered');
  engineCheck.catch(() => undefined); // reported by runPlan; never an unhandled rejection if the plan is invalid
  // After the driver: its engine check then waits on the engine while this module compiles.
  const session = driverReady.catch(() => undefined).then(() => import('../run-session.js'));
  session.catch(() => undefined); // awaited (and thrown) below, after the plan's own problems
  const loaded = await plan;
  profile.mark('plan loaded');
  const { runSession } = await session;
  return runSession({
    ctx,
    values,
    plan: loaded,
    file,
    driverKind,
    driverReady,
    engineCheck,
    git,
    cache,
    reporters,
    ...(cliConcurrency ? { cliConcurrency } : {}),
    profile,
  });
}
