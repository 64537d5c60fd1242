/** Evidence: test results, coverage, gates and acceptance criteria. Pure, apart from reading files. */
export type * from './types.js';
export type { EvidenceResult, EvidenceSource } from './result.js';
export { describeEvidenceError } from './result.js';
export type {
  CheckOutcome,
  CriteriaEvidence,
  GateInput,
  PhaseEvidence,
  PhaseRunStatus,
  RunScope,
  UnselectedPhase,
} from './evidence-input.js';
export {
  readCoverage,
  readTestReport,
  readTextResults,
  openTextFile,
  type OpenText,
  type ReadOptions,
} from './read-evidence.js';
export { parseCoverage, parseTestReport, parseTextResults, type TestReportFormat } from './parsers.js';
export { createTextParser, type TextParser, type TextResultsSpec, type TextRunOutcome } from './text-parser.js';
export { TEXT_PRESET_NAMES, type TextPreset } from './text-presets.js';
export { coverageMergeWarnings, mapPaths, mergeCoverage, type PhaseCoverage } from './coverage-merge.js';
export { summarize, COVERAGE_METRICS } from './coverage-summary.js';
export { countCases, executedCount, NO_TESTS, sumCounts } from './test-counts.js';
export { CaseList } from './case-list.js';
export { changedLinesOutcome, evaluateGates, gateGroupStatus } from './gates.js';
export type { ChangedFile, ChangeSet, ChangeSetResult } from './changed-lines/types.js';
export type { ChangedFileCoverage, ChangedLinesReport } from './changed-lines/changed-coverage.js';
export { addedFile, parseUnifiedDiff } from './changed-lines/diff-parser.js';
export { evaluateCriteria } from './criteria.js';
export { judgeableEvidence } from './evidence-input.js';
export { formatPercent } from './format.js';
