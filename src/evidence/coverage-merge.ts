/**
 * Coverage from several phases (or several records for one file) merges by file and by line: a line
 * covered in any phase counts once, likewise branches, functions and statements. Percentages are
 * never averaged — they are computed once, from the merged counts, by `summarize`.
 */
import { COVERAGE_METRICS } from './coverage-metrics.js';
import type { CoverageMetric, CoverageReport, FileCoverage, MetricTotals } from './types.js';

export function mergeCoverage(reports: readonly CoverageReport[]): CoverageReport {
  const byPath = new Map<string, FileCoverage[]>();
  for (const report of reports) {
    for (const file of report.files) {
      const list = byPath.get(file.path);
      if (list) list.push(file);
      else byPath.set(file.path, [file]);
    }
  }
  const formats = [...new Set(reports.map((r) => r.format))];
  const files = [...byPath.values()].map((list) => (list.length === 1 ? list[0]! : mergeFile(list)));
  const warnings = [...new Set(reports.flatMap((r) => r.warnings ?? []))];
  return {
    format: formats.length === 1 ? formats[0]! : formats.length === 0 ? 'none' : 'merged',
    files,
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}

function mergeFile(list: readonly FileCoverage[]): FileCoverage {
  const path = list[0]!.path;
  const lines = sumRecords(list.map((f) => f.lines));
  const branches = sumRecords(list.map((f) => f.branches));
  const functions = sumRecords(list.map((f) => f.functions));
  const withStatements = list.filter((f) => f.statementHits !== undefined);
  const statementHits = withStatements.length > 0 ? sumRecords(withStatements.map((f) => f.statementHits!)) : undefined;
  // Detailed entries that had only statement totals (no statementHits) cannot be unioned by statement.
  const statementTotalsOnly = list.filter((f) => f.statementHits === undefined && f.statements !== undefined);
  const countOnly = list.filter((f) => f.totals !== undefined);

  let totals: Partial<Record<CoverageMetric, MetricTotals>> | undefined;
  if (countOnly.length > 0 || statementTotalsOnly.length > 0) {
    const merged: FileCoverage = { path, lines, branches, functions, ...(statementHits ? { statementHits } : {}) };
    totals = {};
    for (const metric of COVERAGE_METRICS) {
      const candidates: MetricTotals[] = [];
      const detail = detailTotals(merged, metric);
      if (detail !== undefined) candidates.push(detail);
      for (const f of countOnly) {
        const t = f.totals?.[metric];
        if (t !== undefined) candidates.push(t);
      }
      if (metric === 'statements') for (const f of statementTotalsOnly) candidates.push(f.statements!);
      const best = lowerBound(candidates);
      if (best !== undefined) totals[metric] = best;
    }
  }
  return {
    path,
    lines,
    branches,
    functions,
    ...(statementHits ? { statementHits, statements: hitTotals(statementHits) } : {}),
    ...(totals ? { totals } : {}),
  };
}

/**
 * What a union is at least, when some phases only gave counts: the most covered of them (the union
 * covers at least that), over the largest total seen (the file has at least that many). Never more.
 */
function lowerBound(candidates: readonly MetricTotals[]): MetricTotals | undefined {
  if (candidates.length === 0) return undefined;
  const covered = Math.max(...candidates.map((c) => c.covered));
  const total = Math.max(...candidates.map((c) => c.total));
  return { covered, total };
}

/** Counts from a file's detail (lines, branches, …), or undefined when it has no detail for the metric. */
export function detailTotals(file: FileCoverage, metric: CoverageMetric): MetricTotals | undefined {
  switch (metric) {
    case 'lines':
      return nonEmpty(file.lines);
    case 'branches':
      return nonEmpty(file.branches);
    case 'functions':
      return nonEmpty(file.functions);
    case 'statements':
      if (file.statementHits !== undefined) return hitTotals(file.statementHits);
      return file.statements; // lcov and cobertura record no statements: no figure, never the lines repeated
  }
}

function nonEmpty(record: Readonly<Record<string | number, number>>): MetricTotals | undefined {
  const t = hitTotals(record);
  return t.total === 0 ? undefined : t;
}

function hitTotals(record: Readonly<Record<string | number, number>>): MetricTotals {
  const values = Object.values(record);
  return { total: values.length, covered: values.filter((h) => h > 0).length };
}

function sumRecords<K extends string | number>(records: readonly Readonly<Record<K, number>>[]): Record<K, number> {
  const out = {} as Record<K, number>;
  for (const record of records) {
    for (const [key, hits] of Object.entries(record) as [K, number][]) out[key] = (out[key] ?? 0) + hits;
  }
  return out;
}

/**
 * Container paths → repo paths by prefix (`{ '/app/': '' }`), longest prefix first; files that end up
 * with the same path merge. Paths no prefix matches stay as they are. A prefix that matched no file
 * is a warning (a typo there silently leaves every path unmapped).
 */
export function mapPaths(report: CoverageReport, pathMap: Readonly<Record<string, string>>): CoverageReport {
  const prefixes = Object.entries(pathMap).sort((a, b) => b[0].length - a[0].length);
  if (prefixes.length === 0) return report;
  const used = new Set<string>();
  const files = report.files.map((file) => {
    const hit = prefixes.find(([from]) => file.path.startsWith(from));
    if (hit === undefined) return file;
    used.add(hit[0]);
    return { ...file, path: hit[1] + file.path.slice(hit[0].length) };
  });
  const example = report.files[0]?.path;
  const unused = prefixes
    .filter(([from]) => !used.has(from))
    .map(
      ([from]) =>
        `coverage.pathMap ${JSON.stringify(from)} matched none of the ${report.files.length} files${example === undefined ? '' : ` (they look like ${JSON.stringify(example.slice(0, 120))})`}`,
    );
  const merged = mergeCoverage([
    { format: report.format, files, ...(report.warnings ? { warnings: report.warnings } : {}) },
  ]);
  const warnings = [...(merged.warnings ?? []), ...unused];
  return warnings.length > 0 ? { ...merged, warnings } : merged;
}

/** One phase's coverage and the folder its relative paths are relative to (its workdir), if known. */
export interface PhaseCoverage {
  readonly phase: string;
  readonly report: CoverageReport;
  readonly base?: string;
}

/**
 * Warnings for merging phases' coverage: the same relative path from phases that ran in different
 * folders is probably two files (four packages' `index.js`), yet merges as one.
 */
export function coverageMergeWarnings(inputs: readonly PhaseCoverage[]): string[] {
  const basesByPath = new Map<string, Map<string, string[]>>();
  for (const { phase, report, base = '' } of inputs) {
    for (const file of report.files) {
      if (isAbsolute(file.path)) continue;
      const bases = basesByPath.get(file.path) ?? basesByPath.set(file.path, new Map()).get(file.path)!;
      bases.set(base, [...(bases.get(base) ?? []), phase]);
    }
  }
  const warnings: string[] = [];
  for (const [path, bases] of basesByPath) {
    if (bases.size < 2) continue;
    const from = [...bases]
      .map(([base, phases]) => `${phases.join(', ')} (in ${base === '' ? 'the default folder' : base})`)
      .join('; ');
    warnings.push(
      `coverage for ${JSON.stringify(path)} comes from phases in different folders and was merged as one file: ${from}. Give each phase a coverage.pathMap that keeps them apart`,
    );
  }
  return warnings;
}

function isAbsolute(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path);
}
