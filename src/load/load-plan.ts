/** Reads a plan file of any supported kind and returns the validated, normalised plan. */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { PlanInvalidError } from '../errors.js';
import type { TestPlan } from '../dsl/plan.js';
import { validatePlan, type Path } from '../dsl/validate/index.js';
import { PLAN_FILE } from './discover.js';
import { loadPlanModule } from './load-module.js';

export interface LoadOptions {
  readonly env?: NodeJS.ProcessEnv;
}

const fail = (file: string, message: string): never => {
  throw new PlanInvalidError([{ file, path: '', message }]);
};

async function readInput(file: string, absolute: string): Promise<{ input: unknown; locate: (path: Path) => string }> {
  const here = () => file;
  const text = await readFile(absolute, 'utf8').catch((error: NodeJS.ErrnoException) => fail(file, `cannot read the plan file (${error.code ?? error.message}): check the path`));
  if (/\.ya?ml$/.test(file)) {
    // The yaml package loads only for YAML plans: a TypeScript plan's run does not pay for it.
    const { parseYamlPlan } = await import('./load-yaml.js');
    const parsed = parseYamlPlan(text, file);
    if (!parsed.ok) throw new PlanInvalidError(parsed.problems);
    return parsed.value;
  }
  if (!/\.(ts|js|mts|mjs)$/.test(file)) fail(file, 'is not a plan file: name it *.plan.ts, *.plan.yaml, *.plan.yml or *.plan.js');
  const loaded = await loadPlanModule(absolute, file);
  if (!loaded.ok) throw new PlanInvalidError(loaded.problems);
  if (!('default' in loaded.exports)) fail(file, "has no default export: write 'export default defineTestPlan({ … })'");
  return { input: loaded.exports['default'], locate: here };
}

/**
 * Loads, validates and normalises one plan file (`.plan.ts`, `.plan.yaml`/`.yml`, `.plan.js`).
 * Problems name `file` as given (with `:line:col` for YAML); `TestPlan.file` is absolute.
 */
export async function loadPlanFile(file: string, options: LoadOptions = {}): Promise<TestPlan> {
  const absolute = resolve(file);
  const { input, locate } = await readInput(file, absolute);
  return validatePlan(input, { file: absolute, dir: dirname(absolute) }, options.env ?? process.env, locate);
}

