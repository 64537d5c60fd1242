/** Reads a plan file of any supported kind and returns the validated, normalised plan. */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { PlanInvalidError } from '../errors.js';
import type { TestPlan } from '../dsl/plan.js';
import type { PlanInput } from '../dsl/types.js';
import { formatPath, type Path } from '../dsl/validate/problems.js';
import { normalise } from '../dsl/validate/normalise.js';
import { missingBuildFiles, missingMountSources } from './check-files.js';
import { loadPlanModule } from './load-module.js';
import { DEFAULT_LOAD_TIMEOUT_MS, startLoadWorker } from './run-in-worker.js';
import { markedEnv } from './marked-env.js';

export interface LoadOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** A variable that is not set reads as `<envMarker><NAME>` (plan export: variable names, never values). */
  readonly envMarker?: string;
  /** Time a `.plan.ts`/`.plan.js` may take to load (default 10 s). */
  readonly loadTimeoutMs?: number;
  /** How the user raises that limit, named in the message. */
  readonly loadTimeoutFlag?: string;
}

const fail = (file: string, message: string): never => {
  throw new PlanInvalidError([{ file, path: '', message }]);
};

type Input = { readonly input: unknown; readonly locate: (path: Path) => string; readonly validated: boolean };

async function readInput(file: string, absolute: string, options: LoadOptions): Promise<Input> {
  const yaml = /\.ya?ml$/.test(file);
  const limits = {
    timeoutMs: options.loadTimeoutMs ?? DEFAULT_LOAD_TIMEOUT_MS,
    timeoutFlag: options.loadTimeoutFlag ?? '--load-timeout',
  };
  // A module plan's worker starts before the file is read: its start-up is on a run's path to the first container.
  const worker = !yaml && /\.(ts|js|mts|mjs)$/.test(file) ? startLoadWorker(limits) : undefined;
  const text = await readFile(absolute, 'utf8').catch((error: NodeJS.ErrnoException) => {
    worker?.cancel();
    return fail(file, `cannot read the plan file (${error.code ?? error.message}): check the path`);
  });
  if (yaml) {
    // The yaml package loads only for YAML plans: a TypeScript plan's run does not pay for it.
    const { parseYamlPlan } = await import('./load-yaml.js');
    const parsed = parseYamlPlan(text, file);
    if (!parsed.ok) throw new PlanInvalidError(parsed.problems);
    return { ...parsed.value, validated: false };
  }
  if (!worker) return fail(file, 'is not a plan file: name it *.plan.ts, *.plan.yaml, *.plan.yml or *.plan.js');
  const loaded = await loadPlanModule(absolute, file, {
    env: options.env ?? process.env,
    envMarker: options.envMarker,
    limits,
    worker,
  });
  if (!loaded.ok) throw new PlanInvalidError(loaded.problems);
  return { input: loaded.input, locate: () => file, validated: true };
}

/**
 * Loads, validates and normalises one plan file (`.plan.ts`, `.plan.yaml`/`.yml`, `.plan.js`).
 * Problems name `file` as given (with `:line:col` for YAML); `TestPlan.file` is absolute.
 */
export async function loadPlanFile(file: string, options: LoadOptions = {}): Promise<TestPlan> {
  const absolute = resolve(file);
  const { input, locate, validated } = await readInput(file, absolute, options);
  const source = { file: absolute, dir: dirname(absolute) };
  const env = markedEnv(options.env ?? process.env, options.envMarker);
  // The validator loads here only for YAML: a TypeScript plan was validated in the loader's worker.
  const plan = validated
    ? normalise(input as PlanInput<string, string, string>, source, env)
    : (await import('../dsl/validate/index.js')).validatePlan(input, source, env, locate);
  const missing = [...missingBuildFiles(plan), ...missingMountSources(plan)];
  if (missing.length > 0)
    throw new PlanInvalidError(
      missing.map((f) => ({ file: locate(f.path), path: formatPath(f.path), message: f.message })),
    );
  return plan;
}
