/** The changed-lines report as results.json keeps it: bounded, whatever the size of the change. */
import type { ChangedLinesReport } from '../evidence/index.js';
import type { RunResults } from '../report/results.js';

/** Files listed in results.json (most uncovered first); the rest are counted. */
export const MAX_CHANGED_FILES = 500;
/** Uncovered ranges kept per file. */
export const MAX_RANGES = 50;
const MAX_NOT_COUNTED = 100;

export function changedLinesResults(report: ChangedLinesReport): NonNullable<RunResults['changedLines']> {
  const files = report.files.slice(0, MAX_CHANGED_FILES).map((f) => ({
    ...f,
    uncovered: f.uncovered.slice(0, MAX_RANGES),
    ...(f.uncovered.length > MAX_RANGES ? { unlistedRanges: f.uncovered.length - MAX_RANGES } : {}),
  }));
  return {
    base: report.base,
    mergeBase: report.mergeBase,
    executable: report.executable,
    covered: report.covered,
    files,
    ...(report.files.length > files.length ? { unlistedFiles: report.files.length - files.length } : {}),
    notCounted: report.notCounted.slice(0, MAX_NOT_COUNTED),
    ...(report.notCounted.length > MAX_NOT_COUNTED
      ? { unlistedNotCounted: report.notCounted.length - MAX_NOT_COUNTED }
      : {}),
    ...(report.notes ? { notes: [...report.notes] } : {}),
  };
}
