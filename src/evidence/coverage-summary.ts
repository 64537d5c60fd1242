import { COVERAGE_METRICS } from './coverage-metrics.js';
import { detailTotals } from './coverage-merge.js';
import type { CoverageMetric, CoverageReport, CoverageSummary, FileCoverage, MetricTotals } from './types.js';

export { COVERAGE_METRICS } from './coverage-metrics.js';

/**
 * Totals per metric over all files of a (merged) report, with the percentage computed once from the
 * counts; `pct` is null when the report measured nothing for the metric (e.g. no branch data). Numbers
 * only from data that exists: statements when every measured file has them (istanbul), never lines
 * under another name, never a figure over only the files of one format.
 */
export function summarize(report: CoverageReport): CoverageSummary {
  const partialStatements = report.files.some(
    (f) => fileTotals(f, 'lines').total > 0 && fileTotals(f, 'statements').total === 0,
  );
  const entries = COVERAGE_METRICS.map((metric) => {
    if (metric === 'statements' && partialStatements) return [metric, { covered: 0, total: 0, pct: null }] as const;
    let covered = 0;
    let total = 0;
    for (const file of report.files) {
      const t = fileTotals(file, metric);
      covered += t.covered;
      total += t.total;
    }
    return [metric, { covered, total, pct: total === 0 ? null : (covered * 100) / total }] as const;
  });
  return Object.fromEntries(entries) as CoverageSummary;
}

/** Counts-only data (istanbul summary) wins where present: it already includes the detail as a lower bound. */
export function fileTotals(file: FileCoverage, metric: CoverageMetric): MetricTotals {
  return file.totals?.[metric] ?? detailTotals(file, metric) ?? { covered: 0, total: 0 };
}
