/**
 * Runtime validation of a plan (YAML, JS, or TS without the type checker): every rule runs and
 * every problem is reported at once; only a plan without problems is normalised.
 */
import { PlanInvalidError, type PlanProblem } from '../../errors.js';
import type { PlanInput } from '../types.js';
import type { TestPlan } from '../plan.js';
import { ruleContext, type Rule } from './context.js';
import { describeValue, formatPath, type Finding, type Path } from './problems.js';
import { checkShape } from './shape.js';
import { checkImageReferences, checkServiceAndPhaseReferences } from './rule-references.js';
import { checkCycles } from './rule-cycles.js';
import { checkServiceScopes } from './rule-isolation.js';
import { checkAcceptance } from './rule-acceptance.js';
import {
  checkLocalhostPorts,
  checkNotEmpty,
  checkRegexes,
  checkSecretsFromEnv,
  checkTextResults,
} from './rule-values.js';
import { checkTemplates } from './rule-templates.js';
import { checkShards } from './rule-shards.js';
import {
  checkCommandsNotEmpty,
  checkContainerPaths,
  checkDurationBounds,
  checkImageRefFormat,
} from './rule-runnable.js';
import { normalise } from './normalise.js';

export { formatPath, type Finding, type Path, type PathSegment } from './problems.js';

export const RULES: readonly Rule[] = [
  (ctx) => checkShape(ctx.plan, ctx.report),
  checkNotEmpty,
  checkImageReferences,
  checkServiceAndPhaseReferences,
  checkCycles,
  checkServiceScopes,
  checkAcceptance,
  checkLocalhostPorts,
  checkSecretsFromEnv,
  checkRegexes,
  checkTextResults,
  checkTemplates,
  checkShards,
  checkCommandsNotEmpty,
  checkImageRefFormat,
  checkContainerPaths,
  checkDurationBounds,
];

export interface PlanSource {
  /** Shown in every problem; the plan file's path. */
  readonly file: string;
  /** Folder that relative paths in the plan resolve against. */
  readonly dir: string;
}

/** Every problem in `input`, located by path segments (for callers that map them to lines). */
export function findPlanProblems(input: unknown, env: NodeJS.ProcessEnv = process.env): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const context = ruleContext(input, env, (path, message) => {
    const key = `${formatPath(path)}\0${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    findings.push({ path, message });
  });
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    const fix =
      "write a mapping with 'name' and 'phases' (in TypeScript: export default defineTestPlan({ name, phases }))";
    return [{ path: [], message: `the plan must be an object, not ${describeValue(input)}: ${fix}` }];
  }
  for (const rule of RULES) rule(context);
  return findings;
}

/**
 * Validates and normalises a plan; throws `PlanInvalidError` listing every problem found. `locate` names
 * where a problem is (a YAML plan gives `file:line:col`); by default the plan's file.
 */
export function validatePlan(
  input: unknown,
  source: PlanSource,
  env: NodeJS.ProcessEnv = process.env,
  locate: (path: Path) => string = () => source.file,
): TestPlan {
  const findings = findPlanProblems(input, env);
  if (findings.length > 0) {
    const problems: PlanProblem[] = findings.map((f) => ({
      file: locate(f.path),
      path: formatPath(f.path),
      message: f.message,
    }));
    throw new PlanInvalidError(problems);
  }
  return normalise(input as PlanInput<string, string, string>, source, env);
}
