/** Coverage gates: global thresholds over the merged coverage of every phase that reports it, and per-phase ones. */
import type { CoverageGateInput } from '../dsl/types.js';
import { mergeCoverage } from './coverage-merge.js';
import { filterCoverage } from './coverage-filter.js';
import { COVERAGE_METRICS, summarize } from './coverage-summary.js';
import { declaresEvidence, neverCame, unselectedNames, type PhaseEvidence, type RunScope } from './evidence-input.js';
import { formatPercent, formatThresholdPercent } from './format.js';
import { describeEvidenceError } from './result.js';
import type { CoverageMetric, CoverageReport, CoverageSummary, GateResult } from './types.js';

const HOW_TO_MEASURE: Readonly<Record<CoverageMetric, string>> = {
  lines: 'check that the coverage tool measured the code under test',
  branches: 'enable branch coverage in the tool (e.g. pytest --cov-branch) or drop this threshold',
  functions: 'this format records no functions (coverage.py does not): drop this threshold or use lcov/istanbul output',
  statements:
    'lcov and cobertura record no statements (only istanbul json does): gate on lines instead, or use istanbul output',
};

export function globalCoverageGates(
  thresholds: CoverageGateInput,
  phases: readonly PhaseEvidence[],
  scope: RunScope = {},
): GateResult[] {
  const metrics = metricsOf(thresholds);
  if (metrics.length === 0) return [];
  const rows = (status: GateResult['status'], message: string): GateResult[] =>
    statusRows(thresholds, metrics, (m) => `coverage.${m}`, status, message);
  const declaring = phases.filter((p) => declaresEvidence(p, 'coverage'));
  const elsewhere = unselectedNames(scope, 'coverage');
  if (declaring.length === 0) {
    if (elsewhere.length > 0)
      return rows('not-selected', `coverage comes from ${elsewhere.join(', ')}, not selected in this run`);
    return rows(
      'error',
      'no phase in this run reports coverage: add `coverage: { format, path }` to the phases that measure it',
    );
  }
  // Merged coverage needs every declaring phase: a missing one would change the total, not only the covered count.
  const failures = declaring.flatMap((p) => (p.coverage !== undefined && !p.coverage.ok ? [p.coverage.error] : []));
  if (failures.length > 0)
    return rows('error', `coverage could not be read: ${failures.map(describeEvidenceError).join('; ')}`);
  const missing = declaring.filter((p) => p.coverage === undefined);
  if (missing.length > 0) return rows('not-run', missing.map((p) => neverCame(p, 'coverage')).join('; '));
  const reports = declaring.map((p) => (p.coverage as { value: CoverageReport }).value);
  const { report, note } = filterCoverage(mergeCoverage(reports), thresholds);
  const summary = summarize(report);
  const notSelected = elsewhere.length > 0 ? `; ${elsewhere.join(', ')} not selected` : '';
  const from = `merged from ${declaring.map((p) => p.name).join(', ')}${notSelected}${note ? `; ${note}` : ''}`;
  return metrics.map((m) => metricRow(`coverage.${m}`, m, thresholds[m]!, summary, from));
}

export function phaseCoverageGates(
  perPhase: Readonly<Record<string, CoverageGateInput>>,
  phases: readonly PhaseEvidence[],
): GateResult[] {
  return Object.entries(perPhase).flatMap(([phaseName, thresholds]) => {
    const metrics = metricsOf(thresholds);
    const rows = (status: GateResult['status'], message: string): GateResult[] =>
      statusRows(thresholds, metrics, (m) => `coverage[${phaseName}].${m}`, status, message);
    const phase = phases.find((p) => p.name === phaseName);
    if (phase === undefined) return rows('not-selected', `phase ${phaseName} is not selected in this run`);
    if (phase.coverage === undefined) {
      if (declaresEvidence(phase, 'coverage')) return rows('not-run', neverCame(phase, 'coverage'));
      return rows('error', `phase ${phaseName} declares no coverage file: add \`coverage: { format, path }\` to it`);
    }
    if (!phase.coverage.ok)
      return rows('error', `coverage could not be read: ${describeEvidenceError(phase.coverage.error)}`);
    const { report, note } = filterCoverage(phase.coverage.value, thresholds);
    const summary = summarize(report);
    return metrics.map((m) =>
      metricRow(
        `coverage[${phaseName}].${m}`,
        m,
        thresholds[m]!,
        summary,
        `phase ${phaseName}${note ? `; ${note}` : ''}`,
      ),
    );
  });
}

function metricRow(
  name: string,
  metric: CoverageMetric,
  threshold: number,
  summary: CoverageSummary,
  from: string,
): GateResult {
  const { covered, total } = summary[metric];
  const base = { gate: 'coverage', name, threshold: formatThresholdPercent(threshold) };
  if (total === 0) {
    return {
      ...base,
      actual: 'n/a',
      status: 'error',
      message: `no ${metric} were measured (${from}): ${HOW_TO_MEASURE[metric]}`,
    };
  }
  // Compare counts, not a rounded percentage: 79.96% is below 80%.
  const passed = covered * 100 >= threshold * total;
  return {
    ...base,
    actual: formatPercent(covered, total),
    status: passed ? 'pass' : 'fail',
    message: `${covered} of ${total} ${metric} covered (${from})`,
  };
}

function statusRows(
  thresholds: CoverageGateInput,
  metrics: readonly CoverageMetric[],
  rowName: (m: CoverageMetric) => string,
  status: GateResult['status'],
  message: string,
): GateResult[] {
  return metrics.map((m) => ({
    gate: 'coverage',
    name: rowName(m),
    threshold: formatThresholdPercent(thresholds[m]!),
    actual: 'n/a',
    status,
    message,
  }));
}

function metricsOf(thresholds: CoverageGateInput): CoverageMetric[] {
  return COVERAGE_METRICS.filter((m) => typeof thresholds[m] === 'number');
}
