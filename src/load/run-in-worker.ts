/**
 * Runs the plan-loading worker with a time limit and turns every way it can end into one outcome:
 * a message, an exit before any message (process.exit, a top-level await that never settles),
 * an error (out of memory) or the time limit (an endless loop or timer).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { loadFailure, type WorkerInput, type WorkerOutcome } from './worker-protocol.js';

export const DEFAULT_LOAD_TIMEOUT_MS = 10_000;
const MEMORY_LIMIT_MB = 1024;

/**
 * dist/cli/load-worker.js next to the bundled CLI (dist/load/ for the library), started without the
 * parent's loaders. From source, a bootstrap registers tsx and imports the .ts: a test runner's own
 * TypeScript, coverage and mocking hooks would make every plan load seconds slower.
 */
function workerEntry(): { readonly code: URL | string; readonly eval: boolean } {
  const js = new URL('./load-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return { code: js, eval: false };
  const ts = new URL('./load-worker.ts', import.meta.url).href;
  const api = import.meta.resolve('tsx/esm/api');
  return {
    code: `import(${JSON.stringify(api)}).then(({ register }) => { register(); return import(${JSON.stringify(ts)}); });`,
    eval: true,
  };
}

export interface WorkerLimits {
  readonly timeoutMs: number;
  /** How the user raises the limit, named in the message (`--load-timeout`). */
  readonly timeoutFlag: string;
}

export interface LoadWorker {
  /** Hands the plan to the worker; the time limit counts from here. */
  load(input: WorkerInput): Promise<WorkerOutcome>;
  /** Stops a worker that is no longer needed (the plan did not compile). */
  cancel(): void;
}

/**
 * Starts the worker at once, so that its start-up (a thread, the validator's modules) overlaps
 * the plan's compilation in this thread; `load` then hands it the compiled plan.
 */
export function startLoadWorker(limits: WorkerLimits): LoadWorker {
  const entry = workerEntry();
  const worker = new Worker(entry.code, {
    eval: entry.eval,
    execArgv: [],
    resourceLimits: { maxOldGenerationSizeMb: MEMORY_LIMIT_MB },
  });
  let settled = false;
  let timer: NodeJS.Timeout | undefined;
  let resolveOutcome: (outcome: WorkerOutcome) => void = () => {};
  const outcome = new Promise<WorkerOutcome>((resolve) => (resolveOutcome = resolve));
  const settle = (result: WorkerOutcome): void => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    void worker.terminate();
    resolveOutcome(result);
  };
  worker.on('message', (result: WorkerOutcome) => settle(result));
  worker.on('exit', (code) => settle({ kind: 'failed', message: loadFailure.exited(code) }));
  worker.on('error', (error: Error & { code?: string }) =>
    settle({
      kind: 'failed',
      message:
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `the plan file used more than ${MEMORY_LIMIT_MB} MB while loading: a plan only describes the run; remove what fills memory`
          : loadFailure.threw(error),
    }),
  );
  return {
    load(input) {
      timer = setTimeout(
        () => settle({ kind: 'failed', message: loadFailure.timedOut(limits.timeoutMs, limits.timeoutFlag) }),
        limits.timeoutMs,
      );
      worker.postMessage(input);
      return outcome;
    },
    cancel() {
      settled = true;
      void worker.terminate();
    },
  };
}
