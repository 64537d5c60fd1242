/** What the plan-loading worker is given and what it answers, and the words for each way loading fails. */
import type { Finding } from '../dsl/validate/problems.js';

export type WorkerInput =
  | {
      readonly mode: 'bundle';
      readonly code: string;
      readonly file: string;
      readonly env: NodeJS.ProcessEnv;
      readonly envMarker?: string;
    }
  | {
      readonly mode: 'tsx';
      readonly file: string;
      readonly entry: string;
      readonly env: NodeJS.ProcessEnv;
      readonly envMarker?: string;
    };

export type WorkerOutcome =
  | { readonly kind: 'loaded'; readonly input: unknown }
  | { readonly kind: 'invalid'; readonly findings: Finding[] }
  | { readonly kind: 'no-default' }
  | { readonly kind: 'failed'; readonly message: string };

const firstLine = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).split('\n')[0]!.trim();

/** The package a failed import names, from Node's ESM ("Cannot find package 'x'") and CJS ("Cannot find module 'x'") errors. */
export function missingPackage(error: unknown): string | undefined {
  const match = /Cannot find (?:package|module) '([^']+)'/.exec(error instanceof Error ? error.message : String(error));
  const name = match?.[1];
  if (name === undefined || name.startsWith('.') || name.startsWith('/') || name.startsWith('file:')) return undefined;
  return packageName(name);
}

/** `@scope/pkg/sub` → `@scope/pkg`, `pkg/sub` → `pkg`. */
export function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

export const loadFailure = {
  threw(error: unknown): string {
    const pkg = missingPackage(error);
    if (pkg !== undefined) return loadFailure.missing(pkg);
    return `the plan file threw while loading: ${firstLine(error)}; fix the error and run plan check again`;
  },
  missing: (pkg: string): string =>
    `the plan imports '${pkg}', which is not installed where the plan is: run \`npm install ${pkg}\` in the plan's project, or remove the import`,
  ended: (call: string): string =>
    `the plan file called ${call} while loading: a plan only describes the run; remove the call`,
  unhandled: (reason: unknown): string =>
    `the plan file left a promise rejected without a handler while loading (${firstLine(reason)}): await it or remove it`,
  uncaught: (error: unknown): string =>
    `the plan file's code threw after it loaded (${firstLine(error)}): a plan only describes the run; remove the callback`,
  timers: (count: number): string =>
    `the plan file left ${count} timer(s) running after it loaded (setTimeout/setInterval): a plan only describes the run; remove the timers`,
  exited: (code: number): string =>
    code === 13
      ? 'the plan file never finished loading: a top-level await waits for a promise that never settles; remove the wait'
      : `the plan file ended its loader (exit code ${code}) before it exported a plan; remove whatever ends the process`,
  timedOut: (ms: number, flag: string): string =>
    `the plan file did not finish loading within ${ms / 1000}s (an endless loop, or a top-level await that never ends?): fix the plan, or allow longer with ${flag}`,
};
