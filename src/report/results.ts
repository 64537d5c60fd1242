/**
 * results.json: everything a run learned. Every other output (report.md, junit.xml, the GitHub
 * step summary) is rendered from it. Bump RESULTS_VERSION on any incompatible change.
 */
import type { CoverageSummary, CriterionResult, EvidenceError, GateResult, TestCase, TestCounts } from '../evidence/types.js';

export const RESULTS_VERSION = 1;

export type Verdict = 'passed' | 'failed' | 'error' | 'interrupted';

export interface StepTiming {
  readonly id: string;
  readonly kind: string;
  readonly status: 'passed' | 'failed' | 'skipped' | 'cancelled';
  /** ISO timestamps; absent for steps that never started. */
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly durationMs?: number;
  readonly message?: string;
}

export interface PhaseAttempt {
  readonly attempt: number;
  readonly exitCode: number | null;
  readonly timedOut: boolean;
  readonly durationMs: number;
}

export type PhaseStatus = 'passed' | 'failed' | 'error' | 'skipped' | 'cancelled';

export interface PhaseResult {
  readonly name: string;
  readonly image: string;
  readonly status: PhaseStatus;
  readonly attempts: readonly PhaseAttempt[];
  readonly durationMs: number;
  readonly counts?: TestCounts;
  /** Failed and errored cases only (passing ones are counted, not listed). */
  readonly failures: readonly TestCase[];
  /** All case names with status, for criteria and aggregated junit. */
  readonly tests: readonly TestCase[];
  readonly coverage?: CoverageSummary;
  readonly artifacts: readonly string[];
  readonly logTail: readonly string[];
  readonly errors: readonly EvidenceError[];
  readonly message?: string;
}

export interface ServiceResult {
  readonly name: string;
  readonly image: string;
  readonly status: 'ready' | 'not-ready' | 'not-started';
  readonly readyMs?: number;
  readonly probes?: number;
  readonly logTail: readonly string[];
  readonly message?: string;
}

export interface RunResults {
  readonly version: typeof RESULTS_VERSION;
  readonly plan: { readonly name: string; readonly file: string; readonly description?: string };
  readonly runId: string;
  readonly git?: { readonly commit: string; readonly dirty: boolean; readonly branch?: string };
  readonly driver: { readonly kind: string; readonly engine: string };
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationMs: number;
  readonly verdict: Verdict;
  /** 130: interrupted by a signal. */
  readonly exitCode: 0 | 1 | 2 | 3 | 130;
  /** Why the run errored or was interrupted, when it was. */
  readonly message?: string;
  readonly selection: { readonly phases: readonly string[]; readonly profiles: readonly string[] };
  readonly steps: readonly StepTiming[];
  readonly services: readonly ServiceResult[];
  readonly phases: readonly PhaseResult[];
  readonly tests: TestCounts;
  readonly coverage?: CoverageSummary;
  readonly gates: readonly GateResult[];
  readonly acceptance: readonly CriterionResult[];
  /**
   * What evidence reading accepted but a reader should know (`<phase>: …`): a tool's quirk collapsed,
   * text dropped to stay bounded, a coverage pathMap that matched nothing, paths merged across folders.
   */
  readonly warnings?: readonly string[];
}
