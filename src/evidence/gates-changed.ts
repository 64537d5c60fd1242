/** The changed-lines coverage gate (`gates.coverage.changed`): the diff-cover / Codecov "patch" check. */
import type { ChangedLinesGateInput } from '../dsl/types.js';
import { measureChangedLines, recordsInRepository, type ChangedLinesReport } from './changed-lines/changed-coverage.js';
import type { ChangeSetResult } from './changed-lines/types.js';
import { mergeCoverage } from './coverage-merge.js';
import { declaresEvidence, neverCame, unselectedNames, type PhaseEvidence, type RunScope } from './evidence-input.js';
import { capList, formatPercent, formatThresholdPercent } from './format.js';
import { describeEvidenceError } from './result.js';
import type { CoverageReport, GateResult } from './types.js';

export const CHANGED_LINES_ROW = 'coverage.changed.lines';

export interface ChangedLinesInput extends RunScope {
  readonly spec: ChangedLinesGateInput;
  readonly phases: readonly PhaseEvidence[];
  /** What git said changed; absent when it was not read (the gate is then an error). */
  readonly changes: ChangeSetResult | undefined;
  /** Absolute folder of the plan: relative coverage paths may be relative to it. */
  readonly planDir: string;
}

export interface ChangedLinesOutcome {
  readonly row: GateResult;
  /** Per file, for the report; absent when the gate could not measure. */
  readonly report?: ChangedLinesReport;
}

export function changedLinesGate(input: ChangedLinesInput): ChangedLinesOutcome {
  const { spec } = input;
  const base = { gate: 'coverage', name: CHANGED_LINES_ROW, threshold: formatThresholdPercent(spec.lines) };
  const stop = (status: GateResult['status'], message: string): ChangedLinesOutcome => ({
    row: { ...base, actual: 'n/a', status, message },
  });
  const declaring = input.phases.filter((p) => declaresEvidence(p, 'coverage'));
  const elsewhere = unselectedNames(input, 'coverage');
  if (declaring.length === 0) {
    if (elsewhere.length > 0)
      return stop('not-selected', `coverage comes from ${elsewhere.join(', ')}, not selected in this run`);
    return stop(
      'error',
      'no phase in this run reports coverage: add `coverage: { format, path }` to the phases that measure it',
    );
  }
  if (input.changes === undefined) return stop('error', `the changes since ${spec.base} were not read`);
  if (!input.changes.ok) return stop('error', input.changes.error);
  const failures = declaring.flatMap((p) => (p.coverage !== undefined && !p.coverage.ok ? [p.coverage.error] : []));
  if (failures.length > 0)
    return stop('error', `coverage could not be read: ${failures.map(describeEvidenceError).join('; ')}`);
  const missing = declaring.filter((p) => p.coverage === undefined);
  if (missing.length > 0) return stop('not-run', missing.map((p) => neverCame(p, 'coverage')).join('; '));

  const merged = mergeCoverage(declaring.map((p) => (p.coverage as { value: CoverageReport }).value));
  if (merged.files.length > 0 && recordsInRepository(merged, input.changes.value.root, input.planDir) === 0)
    return stop(
      'error',
      `none of the ${merged.files.length} files in the coverage is inside the repository ${input.changes.value.root} (they look like ${JSON.stringify(merged.files[0]!.path.slice(0, 120))}): map them with the phase's coverage.pathMap`,
    );
  const report = measureChangedLines(input.changes.value, merged, spec, input.planDir);
  const since = `since ${spec.base} (merge-base ${report.mergeBase.slice(0, 12)})`;
  const noRecord = report.files.filter((f) => f.noRecord).map((f) => f.path);
  const noRecordNote =
    noRecord.length > 0 ? `; no coverage record, counted uncovered: ${capList(noRecord, 5).join(', ')}` : '';
  if (report.executable === 0) {
    // Nothing executable changed: lines the coverage does not list are not code, files it does not measure
    // are not counted. Failing here would fail every docs-only change and the base branch itself.
    const what =
      report.files.length + report.notCounted.length === 0
        ? 'no line changed'
        : `no executable line changed (${report.files.length} measured and ${report.notCounted.length} other changed files)`;
    return { row: { ...base, actual: 'n/a', status: 'pass', message: `${what} ${since}` }, report };
  }
  const passed = report.covered * 100 >= spec.lines * report.executable;
  return {
    row: {
      ...base,
      actual: formatPercent(report.covered, report.executable),
      status: passed ? 'pass' : 'fail',
      message: `${report.covered} of ${report.executable} changed lines covered in ${report.files.length} files ${since}${noRecordNote}`,
    },
    report,
  };
}
