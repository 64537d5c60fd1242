/** What the results builder hands to gates and criteria: per-phase evidence and check outcomes. */
import type { GatesSpec } from '../dsl/plan.js';
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
}

/** How a check (`gate:NAME`, or a criterion's command) ended: its exit code, or why it could not run. */
export type CheckOutcome = { readonly exitCode: number } | { readonly error: string };

export interface GateInput {
  readonly gates: GatesSpec;
  /** The phases of this run's selection, in plan order. A phase missing here did not run. */
  readonly phases: readonly PhaseEvidence[];
  readonly totalDurationMs: number;
  /** Keyed by check name: `gate:NAME` for command gates. */
  readonly checks: Readonly<Record<string, CheckOutcome>>;
}

export interface CriteriaEvidence {
  readonly phases: readonly PhaseEvidence[];
  /** What `evaluateGates` returned. */
  readonly gates: readonly GateResult[];
  /** Keyed by check name (`CriterionSpec.verifiedBy.command`, e.g. `criterion:FR-3`). */
  readonly checks: Readonly<Record<string, CheckOutcome>>;
}
