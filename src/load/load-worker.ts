/**
 * Worker-thread entry: imports one plan module, copies its default export into plain data and
 * validates it, then posts the outcome. Running here keeps the plan's own code away from the CLI's
 * process: `process.exit` ends nothing but this attempt, an endless loop is stopped from outside,
 * and a rejection or timer left behind is reported instead of surfacing later in the run.
 */
import { parentPort } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { findPlanProblems } from '../dsl/validate/index.js';
import type { Finding } from '../dsl/validate/problems.js';
import { copyPlainData } from './plain-data.js';
import { registerTestplanAlias } from './testplan-alias.js';
import { loadFailure, type WorkerInput, type WorkerOutcome } from './worker-protocol.js';
import { markedEnv } from './marked-env.js';

let answered = false;
/** The first outcome counts: a callback that throws while validation runs must not be followed by "loaded". */
const post = (outcome: WorkerOutcome): void => {
  if (answered) return;
  answered = true;
  parentPort!.postMessage(outcome);
};
const fail = (message: string): void => post({ kind: 'failed', message });

let ended: string | undefined;
const refuse = (what: string) => (): never => {
  ended ??= what;
  throw new Error(`${what} was called while loading`);
};
process.exit = ((code?: number) => refuse(`process.exit(${code ?? ''})`)()) as typeof process.exit;
process.kill = ((pid: number, signal?: string | number) =>
  refuse(`process.kill(${pid}${signal === undefined ? '' : `, ${JSON.stringify(signal)}`})`)()) as typeof process.kill;
process.abort = refuse('process.abort()') as typeof process.abort;
// The raw forms behind exit and kill.
const internals = process as unknown as Record<string, unknown>;
internals['reallyExit'] = (code?: number) => refuse(`process.reallyExit(${code ?? ''})`)();
internals['_kill'] = (pid: number) => refuse(`process._kill(${pid})`)();

process.on('unhandledRejection', (reason) => fail(ended ? loadFailure.ended(ended) : loadFailure.unhandled(reason)));
process.on('uncaughtException', (error) => fail(ended ? loadFailure.ended(ended) : loadFailure.uncaught(error)));
// The event loop emptied while the import still waited: a top-level await on a promise that never settles.
process.on('exit', () => fail(loadFailure.exited(13)));

/**
 * In a CommonJS project tsx compiles the plan to `require('testplan')`, which the ESM resolve hook
 * never sees: map it here too. This patches only this worker's module system, never the CLI's.
 */
function aliasTestplanForRequire(entry: string): void {
  const Module = createRequire(import.meta.url)('node:module') as {
    _resolveFilename: (request: string, ...rest: unknown[]) => string;
  };
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]) {
    return resolve.call(this, request === 'testplan' ? entry : request, ...rest);
  };
}

async function importPlan(input: WorkerInput): Promise<Record<string, unknown>> {
  if (input.mode === 'bundle')
    return (await import(`data:text/javascript;base64,${Buffer.from(input.code).toString('base64')}`)) as Record<
      string,
      unknown
    >;
  registerTestplanAlias(input.entry);
  aliasTestplanForRequire(input.entry);
  const { tsImport } = await import('tsx/esm/api');
  return (await tsImport(pathToFileURL(input.file).href, pathToFileURL(input.file).href)) as Record<string, unknown>;
}

/** A `.plan.ts` in a CommonJS package comes back from tsx as `{ default: { default: plan } }`. */
function defaultExport(exports: Record<string, unknown>): unknown {
  const value = exports['default'];
  try {
    const inner = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
    const commonJs =
      inner !== undefined && 'default' in inner && ('module.exports' in exports || inner['__esModule'] === true);
    return commonJs ? inner['default'] : value;
  } catch {
    return value; // a hostile Proxy: copyPlainData reports it with its path
  }
}

async function load(input: WorkerInput): Promise<void> {
  let exports: Record<string, unknown>;
  try {
    exports = await importPlan(input);
  } catch (error) {
    return fail(ended ? loadFailure.ended(ended) : loadFailure.threw(error));
  }
  // One turn of the event loop, so a rejection the module left unhandled is reported now.
  await new Promise((resolve) => setImmediate(resolve));
  if (ended) return fail(loadFailure.ended(ended));
  const timers = process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout' || kind === 'Immediate').length;
  if (timers > 0) return fail(loadFailure.timers(timers));
  if (!('default' in exports)) return post({ kind: 'no-default' });
  const copied = copyPlainData(defaultExport(exports));
  if (!copied.ok) return post({ kind: 'invalid', findings: copied.problems });
  const findings: Finding[] = findPlanProblems(copied.value, markedEnv(input.env, input.envMarker));
  if (findings.length > 0) return post({ kind: 'invalid', findings });
  if (answered) return;
  try {
    parentPort!.postMessage({ kind: 'loaded', input: copied.value } satisfies WorkerOutcome);
    answered = true;
  } catch (error) {
    fail(`the plan could not be passed on (${(error as Error).message.split('\n')[0]}): a plan must be plain data`);
  }
}

// The plan arrives once the CLI has compiled it; until then this thread has loaded the validator.
parentPort!.once('message', (input: WorkerInput) => void load(input));
