/** What the results builder hands to gates and criteria: per-phase evidence and check outcomes. */
import type { GatesSpec } from '../dsl/plan.js';
import type { ChangeSetResult } from './changed-lines/types.js';
import type { EvidenceResult } from './result.js';
import type { CoverageReport, GateResult, TestReport } from './types.js';

export type PhaseRunStatus = 'passed' | 'failed' | 'error' | 'skipped' | 'cancelled';

export interface PhaseEvidence {
  readonly name: string;
  readonly status: PhaseRunStatus;
  /** Absent when the phase never started. */
  readonly durationMs?: number;
  /** The phase's test report as read (`readTestReport`); absent when the phase declares no `results`. */
  readonly tests?: EvidenceResult<TestReport>;
  /** The phase's coverage as read (`readCoverage`); absent when the phase declares no `coverage`. */
  readonly coverage?: EvidenceResult<CoverageReport>;
  /**
   * What the plan declares for the phase, whether or not it came: a phase that never started has no
   * `tests`/`coverage`, and its gates are then `not-run`, not an advice to declare what is declared.
   */
  readonly declares?: Declared;
}

export interface Declared {
  readonly results: boolean;
  readonly coverage: boolean;
}

/** A plan phase the run's `--phase` selection left out, and the evidence it would have given. */
export interface UnselectedPhase extends Declared {
  readonly name: string;
}

/** Where the run stands for gates about the whole run and evidence that never came. */
export interface RunScope {
  /** Plan phases not in this selection: gates and criteria about them are `not-selected`. */
  readonly unselected?: readonly UnselectedPhase[];
  /** Why the run stopped before every step ran (interrupted, infrastructure failure); absent when it finished. */
  readonly stopped?: string;
}

/** How a check (`gate:NAME`, or a criterion's command) ended: its exit code, or why it could not run. */
export type CheckOutcome = { readonly exitCode: number } | { readonly error: string };

export interface GateInput extends RunScope {
  readonly gates: GatesSpec;
  /** The phases of this run's selection, in plan order. A phase missing here did not run. */
  readonly phases: readonly PhaseEvidence[];
  readonly totalDurationMs: number;
  /** Keyed by check name: `gate:NAME` for command gates. */
  readonly checks: Readonly<Record<string, CheckOutcome>>;
  /** For `gates.coverage.changed`: what changed since its base (git), and the plan's folder. */
  readonly changes?: ChangeSetResult;
  readonly planDir?: string;
}

export interface CriteriaEvidence extends RunScope {
  readonly phases: readonly PhaseEvidence[];
  /** What `evaluateGates` returned. */
  readonly gates: readonly GateResult[];
  /** Keyed by check name (`CriterionSpec.verifiedBy.command`, e.g. `criterion:FR-3`). */
  readonly checks: Readonly<Record<string, CheckOutcome>>;
}

/** Whether a phase's evidence of `kind` is declared (came or not). */
export function declaresEvidence(phase: PhaseEvidence, kind: keyof Declared): boolean {
  const came = kind === 'results' ? phase.tests : phase.coverage;
  return came !== undefined || phase.declares?.[kind] === true;
}

/** `phase unit never started (cancelled)`: why a declared piece of evidence never came. */
export function neverCame(phase: PhaseEvidence, what: string): string {
  if (phase.durationMs === undefined)
    return `phase ${phase.name} never started (${phase.status}): its ${what} never came`;
  return `phase ${phase.name} was stopped before it finished (${phase.status}): its ${what} would be incomplete`;
}

/**
 * What gates and criteria may judge: a phase stopped midway (Ctrl-C) left at best part of its
 * evidence, so none of it counts (its gates and criteria are `not-run`); the report still shows what it read.
 */
export function judgeableEvidence(phase: PhaseEvidence): PhaseEvidence {
  if (phase.status !== 'cancelled') return phase;
  const { tests: _tests, coverage: _coverage, ...rest } = phase;
  return rest;
}

export function unselectedNames(scope: RunScope, kind?: keyof Declared): string[] {
  return (scope.unselected ?? []).filter((p) => kind === undefined || p[kind]).map((p) => p.name);
}
