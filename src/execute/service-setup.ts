/**
 * A service's `setup` commands, run inside it once it is ready, in order, within one time limit.
 * The first that fails (or outlives the limit) makes the service not ready: an infrastructure error.
 */
import type { ServiceSpec } from '../dsl/plan.js';
import type { Driver, ServiceHandle, StepContext } from '../drivers/driver.js';
import type { SetupRecord } from './run-state.js';

/** Output lines of the failing command quoted in the message (results.json's service logTail has more). */
const MESSAGE_TAIL = 10;
const MAX_COMMAND_SHOWN = 200;

/** How a setup command reads in messages: the script of `sh -c`, else the argv. */
export function showCommand(command: readonly string[]): string {
  const text = command[0] === 'sh' && command[1] === '-c' && command.length === 3 ? command[2]! : command.join(' ');
  return text.length > MAX_COMMAND_SHOWN ? `${text.slice(0, MAX_COMMAND_SHOWN)}…` : text;
}

export interface SetupRun {
  readonly driver: Driver;
  readonly handle: ServiceHandle;
  /** The commands with their templates resolved. */
  readonly commands: readonly (readonly string[])[];
  readonly timeoutMs: number;
  readonly ctx: StepContext;
  /** Masks (and strips colours from) text quoted from the run. */
  readonly entering: (text: string) => string;
  readonly now: () => number;
}

export async function runServiceSetup(run: SetupRun): Promise<SetupRecord> {
  const started = run.now();
  for (const [index, command] of run.commands.entries()) {
    const left = run.timeoutMs - (run.now() - started);
    const outcome =
      left > 0
        ? await run.driver.runInService(run.handle, { command, timeoutMs: left }, run.ctx)
        : { exitCode: null, timedOut: true, aborted: false, outputTail: [] };
    if (outcome.exitCode === 0) continue;
    return {
      ok: false,
      durationMs: run.now() - started,
      ran: index + 1,
      failure: {
        index,
        command: run.entering(showCommand(command)),
        exitCode: outcome.exitCode,
        timedOut: outcome.timedOut,
        outputTail: outcome.outputTail.map(run.entering),
      },
    };
  }
  return { ok: true, durationMs: run.now() - started, ran: run.commands.length };
}

/** `service pg: setup command 2 of 3 (createdb app) exited with code 1. Its last output: … Fix services.pg.setup[1].` */
export function setupFailureMessage(spec: ServiceSpec, record: SetupRecord): string {
  const failure = record.failure!;
  const which = `setup command ${failure.index + 1} of ${spec.setup.length} (${failure.command})`;
  const how = failure.timedOut
    ? `did not finish within services.${spec.name}.setupTimeout (${spec.setupTimeoutMs} ms for all setup commands)`
    : `exited with code ${failure.exitCode ?? 'unknown'}`;
  const tail = failure.outputTail.slice(-MESSAGE_TAIL);
  const output =
    tail.length > 0 ? ` Its last output:\n${tail.map((l) => `  | ${l}`).join('\n')}\n` : ' It printed nothing. ';
  return `service ${spec.name}: ${which} ${how}, so the service is not ready.${output}Fix services.${spec.name}.setup[${failure.index}] (it runs inside the service once it is ready, with the service's env).`;
}
