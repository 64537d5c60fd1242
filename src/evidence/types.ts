/** Evidence a run collected, normalised across tools. Pure data (serialised into results.json). */
import type { CaseList } from './case-list.js';

export type TestStatus = 'passed' | 'failed' | 'error' | 'skipped';

export interface TestCase {
  readonly suite: string;
  readonly name: string;
  readonly file?: string;
  readonly status: TestStatus;
  readonly durationMs: number;
  /** Failure or skip message (first line), and details (stack, output) when the tool gave them. */
  readonly message?: string;
  readonly details?: string;
}

export interface TestCounts {
  readonly total: number;
  readonly passed: number;
  readonly failed: number;
  readonly errored: number;
  readonly skipped: number;
}

export interface TestReport {
  readonly format: 'junit' | 'tap' | 'text';
  /** Every case, compact (case-list.ts): counts, criteria and results.json read them from here. */
  readonly cases: CaseList;
  readonly counts: TestCounts;
  /**
   * What the parser accepted but a reader should know: a real tool's quirk it collapsed (duplicate
   * cases), detail it dropped to stay bounded. Absent when there is nothing to say.
   */
  readonly warnings?: readonly string[];
}

export type CoverageMetric = 'lines' | 'branches' | 'functions' | 'statements';

export interface MetricTotals {
  readonly covered: number;
  readonly total: number;
}

/** Per-file coverage with line and branch detail, so that phases merge by line, never by average. */
export interface FileCoverage {
  readonly path: string;
  /** line number → hit count */
  readonly lines: Readonly<Record<number, number>>;
  /** `line:index` → taken count */
  readonly branches: Readonly<Record<string, number>>;
  /** function name (or `name@line`) → call count */
  readonly functions: Readonly<Record<string, number>>;
  /** Statement totals when the format has them (istanbul); otherwise statements = lines. */
  readonly statements?: MetricTotals;
  /** Statement hit counts keyed by `line:column` (istanbul coverage-final), so statements merge by statement. */
  readonly statementHits?: Readonly<Record<string, number>>;
  /**
   * Counts without line detail (istanbul coverage-summary.json). Lines nobody listed cannot be unioned:
   * for such a metric merge keeps the best single phase (most covered, largest total), a lower bound.
   */
  readonly totals?: Readonly<Partial<Record<CoverageMetric, MetricTotals>>>;
}

export interface CoverageReport {
  readonly format: string;
  readonly files: readonly FileCoverage[];
  /** As for `TestReport.warnings`: duplicate records collapsed, a `pathMap` that matched nothing, … */
  readonly warnings?: readonly string[];
}

export type CoverageSummary = Readonly<Record<CoverageMetric, MetricTotals & { readonly pct: number | null }>>;

/** A parser or reader that could not produce evidence: never a crash, never a pass. */
export interface EvidenceError {
  readonly file: string;
  readonly phase?: string;
  readonly message: string;
}

/**
 * `not-run`: the run stopped (interrupted, infrastructure failure, a phase that never started) before the
 * evidence came. `not-selected`: the gate is about phases this run's `--phase` selection left out.
 */
export type GateStatus = 'pass' | 'fail' | 'error' | 'not-run' | 'not-selected';

export interface GateResult {
  /** Group: `coverage`, `tests`, `duration` or a command gate name. Front matter reports per group. */
  readonly gate: string;
  /** Row name, e.g. `coverage.lines`, `coverage[unit].branches`, `tests.failed`, `duration[integration]`. */
  readonly name: string;
  /** Human text: `≥ 80%`, `≤ 0`, `≤ 5m`, `exit 0`. */
  readonly threshold: string;
  /** Human text: `83.4%`, `2`, `4m 12s`, `exit 1`; `n/a` when there was no evidence. */
  readonly actual: string;
  readonly status: GateStatus;
  /** Why, for every row that is not `pass`; the evidence behind the figure for a pass. */
  readonly message?: string;
  /** A gate the user did not write (per-phase `executed ≥ 1`): shown apart, not counted in `gates: N/N`. */
  readonly implicit?: boolean;
}

export type CriterionStatus = 'pass' | 'fail' | 'unverified' | 'error' | 'not-run' | 'not-selected';

export interface CriterionResult {
  readonly id: string;
  readonly requirement: string;
  readonly kind: 'functional' | 'non-functional';
  readonly status: CriterionStatus;
  /** One line per piece of evidence: `phase integration passed`, `tests/test_upload.py::test_upload passed`, … */
  readonly evidence: readonly string[];
  /** Why it is not `pass`, in one line (e.g. `1 of 50 matching tests was skipped: <name>`); absent on a pass. */
  readonly reason?: string;
}
