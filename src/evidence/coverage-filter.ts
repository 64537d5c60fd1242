/** Which files a coverage gate counts: its `include`/`exclude` globs, so a team can match its own coverage config. */
import picomatch from 'picomatch';
import type { CoverageGateInput } from '../dsl/types.js';
import type { CoverageReport } from './types.js';

export interface FilteredCoverage {
  readonly report: CoverageReport;
  /** `src/** minus **\/*.test.ts: 12 of 40 files`; absent without globs. */
  readonly note?: string;
}

export function filterCoverage(report: CoverageReport, thresholds: CoverageGateInput): FilteredCoverage {
  const { include, exclude } = thresholds;
  if (!include?.length && !exclude?.length) return { report };
  const included = include?.length ? matcher(include) : () => true;
  const excluded = exclude?.length ? matcher(exclude) : () => false;
  const files = report.files.filter((f) => included(f.path) && !excluded(f.path));
  const globs = [
    include?.length ? `include ${include.join(', ')}` : '',
    exclude?.length ? `exclude ${exclude.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('; ');
  return { report: { ...report, files }, note: `${globs}: ${files.length} of ${report.files.length} files` };
}

/** True when a glob matches the path or one of its trailing parts (`src/**` matches `/app/src/a.ts`). */
function matcher(globs: readonly string[]): (path: string) => boolean {
  const isMatch = picomatch([...globs], { dot: true });
  return (path) => {
    const parts = path.replace(/\\/g, '/').split('/');
    for (let i = 0; i < parts.length; i++) {
      const tail = parts.slice(i).join('/');
      if (tail && isMatch(tail)) return true;
    }
    return false;
  };
}
