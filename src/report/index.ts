/** The report layer: every output of a run, rendered from RunResults. */
export { RESULTS_VERSION } from './results.js';
export type { RunResults, Verdict, StepTiming, PhaseAttempt, PhaseStatus, PhaseResult, ServiceResult } from './results.js';
export { RunResultsSchema } from './results-schema.js';
export { outcomeOf, type Outcome } from './outcome.js';
export { redactResults, makeRedactor } from './redact-results.js';
export { stripAnsi, toPlainText } from './ansi.js';
export { formatDuration } from './format-duration.js';
export { renderMarkdown, markdownBlocks } from './markdown/render-markdown.js';
export { renderJunit } from './junit/render-junit.js';
export { renderStepSummary, STEP_SUMMARY_LIMIT_BYTES } from './github/step-summary.js';
export { renderAnnotations, renderLogGroups, MAX_TEST_ANNOTATIONS } from './github/annotations.js';
export { groupLines, annotation, escapeData, escapeProperty } from './github/workflow-commands.js';
export { writeReports, serializeResults, nodeReportFs, type ReportFs, type WrittenReports, type WriteReportsOptions } from './write-reports.js';
export { readResults, parseResults, type ReadText } from './read-results.js';
