/**
 * A sharded phase's evidence is its shards' evidence merged: test reports by case (every shard's cases,
 * in shard order), coverage by file and line (coverage-merge.ts), and a shard whose evidence could not
 * be read makes the phase's unreadable too, naming the shard: a missing shard is never a smaller pass.
 */
import { CaseList } from './case-list.js';
import { mergeCoverage } from './coverage-merge.js';
import type { EvidenceResult } from './result.js';
import type { CoverageReport, TestReport } from './types.js';

export interface ShardEvidence<T> {
  /** `shard 2/4`, prefixed to the shard's warnings and errors. */
  readonly label: string;
  readonly result: EvidenceResult<T>;
}

function firstError<T>(shards: readonly ShardEvidence<T>[]): EvidenceResult<never> | undefined {
  const bad = shards.find((s) => !s.result.ok);
  if (!bad || bad.result.ok) return undefined;
  return { ok: false, error: { ...bad.result.error, message: `${bad.label}: ${bad.result.error.message}` } };
}

const labelled = (label: string, warnings: readonly string[] | undefined): string[] =>
  (warnings ?? []).map((w) => `${label}: ${w}`);

export function mergeShardTests(shards: readonly ShardEvidence<TestReport>[]): EvidenceResult<TestReport> {
  const error = firstError(shards);
  if (error) return error;
  const reports = shards.map((s) => ({ label: s.label, report: (s.result as { value: TestReport }).value }));
  const cases = new CaseList();
  for (const { report } of reports) for (const c of report.cases) cases.push(c);
  const warnings = reports.flatMap(({ label, report }) => labelled(label, report.warnings));
  const formats = [...new Set(reports.map(({ report }) => report.format))];
  return {
    ok: true,
    value: {
      format: formats[0] ?? 'junit',
      cases,
      counts: cases.counts(),
      ...(warnings.length > 0 ? { warnings } : {}),
    },
  };
}

export function mergeShardCoverage(shards: readonly ShardEvidence<CoverageReport>[]): EvidenceResult<CoverageReport> {
  const error = firstError(shards);
  if (error) return error;
  const reports = shards.map((s) => (s.result as { value: CoverageReport }).value);
  const merged = mergeCoverage(reports.map(({ warnings: _w, ...rest }) => rest));
  const warnings = shards.flatMap((s, i) => labelled(s.label, reports[i]!.warnings));
  return { ok: true, value: { ...merged, ...(warnings.length > 0 ? { warnings } : {}) } };
}
