/**
 * The one verdict function: what a run's phases, gates and criteria (and whether it was interrupted or
 * its infrastructure failed) make of it, with its exit code from the one table in errors.ts.
 */
import { EXIT, type ExitCode } from '../errors.js';
import { blocksPass } from '../evidence/status.js';
import type { CriterionStatus, GateStatus } from '../evidence/types.js';

export type Verdict = 'passed' | 'failed' | 'error' | 'interrupted';

export const VERDICT_EXIT: Readonly<Record<Verdict, ExitCode>> = {
  passed: EXIT.passed,
  failed: EXIT.failed,
  error: EXIT.infrastructure,
  interrupted: EXIT.interrupted,
};

export interface VerdictInput {
  readonly interrupted?: boolean;
  /** Why the infrastructure failed (engine, image build, a service), when it did. */
  readonly infrastructureError?: string;
  readonly phases: readonly { readonly status: string }[];
  readonly gates: readonly { readonly status: GateStatus }[];
  readonly acceptance: readonly { readonly status: CriterionStatus }[];
}

export interface Decision {
  readonly verdict: Verdict;
  readonly exitCode: ExitCode;
  readonly message?: string;
  /** What contradicts a pass, e.g. `1 gate not passing`; empty when nothing does. */
  readonly problems: readonly string[];
}

export function decideVerdict(input: VerdictInput): Decision {
  const problems = passProblems(input);
  const decide = (verdict: Verdict, message?: string): Decision => ({
    verdict,
    exitCode: VERDICT_EXIT[verdict],
    ...(message ? { message } : {}),
    problems,
  });
  if (input.interrupted) return decide('interrupted', 'the run was interrupted; what it learned until then is below');
  if (input.infrastructureError !== undefined) return decide('error', input.infrastructureError);
  return decide(problems.length > 0 ? 'failed' : 'passed');
}

/**
 * Everything that contradicts a pass: a phase, gate or criterion not passing (a skipped phase verified
 * nothing). `not-selected` is neutral; `not-run` is a problem (it only happens when the run stopped early,
 * whose verdict interrupted/error/failed is decided by that already).
 */
function passProblems(input: VerdictInput): string[] {
  const problems: string[] = [];
  const gates = input.gates.filter((g) => blocksPass(g.status)).length;
  const criteria = input.acceptance.filter((c) => blocksPass(c.status)).length;
  const phases = input.phases.filter((p) => p.status !== 'passed').length;
  if (gates > 0) problems.push(`${plural(gates, 'gate')} not passing`);
  if (criteria > 0) problems.push(`${plural(criteria, 'criterion', 'criteria')} not passing`);
  if (phases > 0) problems.push(`${plural(phases, 'phase')} not passing`);
  return problems;
}

export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : pluralForm}`;
}
