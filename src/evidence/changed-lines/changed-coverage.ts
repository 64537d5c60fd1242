/**
 * Coverage of the changed lines: each changed file is matched to the merged line coverage by its
 * repository path. A line the coverage lists is executable (covered when hit); a line it does not
 * list is not code (a comment, a brace) and does not count. A changed file with no coverage record at
 * all — a new module no test loaded, or a path the coverage names differently — is not dropped: when it
 * has the extension of a measured file and is not a test file by its name (or `include` names it), every
 * changed non-blank line of it counts, uncovered.
 */
import path from 'node:path';
import picomatch from 'picomatch';
import type { CoverageReport, FileCoverage } from '../types.js';
import type { ChangedFile, ChangeSet } from './types.js';

export interface ChangedFileCoverage {
  readonly path: string;
  readonly from?: string;
  /** Changed non-blank lines. */
  readonly changed: number;
  /** Of those, the executable ones (all of them for a file without a coverage record). */
  readonly executable: number;
  readonly covered: number;
  /** The uncovered changed lines as ranges: `12`, `15-18`. */
  readonly uncovered: readonly string[];
  /** No coverage record for the file: its changed lines count as uncovered. */
  readonly noRecord?: boolean;
  readonly untracked?: boolean;
}

export interface ChangedLinesReport {
  readonly base: string;
  readonly mergeBase: string;
  readonly executable: number;
  readonly covered: number;
  /** Counted files, most uncovered lines first. */
  readonly files: readonly ChangedFileCoverage[];
  /** Changed files the gate does not count: not code it measures, or left out by include/exclude. */
  readonly notCounted: readonly string[];
  readonly notes?: readonly string[];
}

export interface ChangedFileFilter {
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
}

export function measureChangedLines(
  changes: ChangeSet,
  coverage: CoverageReport,
  filter: ChangedFileFilter,
  planDir: string,
): ChangedLinesReport {
  const records = indexByRepoPath(coverage, changes.root, planDir);
  const extensions = new Set([...records.keys()].map((m) => path.posix.extname(m)));
  const looksMeasured = (file: string): boolean =>
    extensions.has(path.posix.extname(file)) && path.posix.extname(file) !== '' && !isTestFile(file);
  const included = filter.include?.length ? picomatch([...filter.include], { dot: true }) : undefined;
  const excluded = filter.exclude?.length ? picomatch([...filter.exclude], { dot: true }) : () => false;

  const files: ChangedFileCoverage[] = [];
  const notCounted: string[] = [];
  for (const file of changes.files) {
    const record = records.get(file.path);
    const hasLines = record !== undefined && Object.keys(record.lines).length > 0;
    const counted =
      !excluded(file.path) &&
      (included ? included(file.path) : hasLines || record !== undefined || looksMeasured(file.path));
    if (!counted) {
      notCounted.push(file.path);
      continue;
    }
    files.push(hasLines ? withRecord(file, record!) : withoutRecord(file));
  }
  files.sort((a, b) => b.executable - b.covered - (a.executable - a.covered) || a.path.localeCompare(b.path));
  return {
    base: changes.base,
    mergeBase: changes.mergeBase,
    executable: files.reduce((n, f) => n + f.executable, 0),
    covered: files.reduce((n, f) => n + f.covered, 0),
    files,
    notCounted,
    ...(changes.notes?.length ? { notes: changes.notes } : {}),
  };
}

function withRecord(file: ChangedFile, record: FileCoverage): ChangedFileCoverage {
  const executable = file.lines.filter((l) => record.lines[l] !== undefined);
  const uncovered = executable.filter((l) => record.lines[l]! <= 0);
  return {
    ...common(file),
    executable: executable.length,
    covered: executable.length - uncovered.length,
    uncovered: lineRanges(uncovered),
  };
}

function withoutRecord(file: ChangedFile): ChangedFileCoverage {
  return {
    ...common(file),
    executable: file.lines.length,
    covered: 0,
    uncovered: lineRanges(file.lines),
    noRecord: true,
  };
}

function common(file: ChangedFile) {
  return {
    path: file.path,
    ...(file.from !== undefined ? { from: file.from } : {}),
    changed: file.lines.length,
    ...(file.untracked ? { untracked: true } : {}),
  };
}

/**
 * Coverage paths → repository paths: an absolute path inside the repository; a relative one as given
 * (relative to the repository) and resolved from the plan's folder. Paths outside the repository are
 * not code of this change.
 */
function indexByRepoPath(coverage: CoverageReport, root: string, planDir: string): Map<string, FileCoverage> {
  const index = new Map<string, FileCoverage>();
  const add = (key: string, file: FileCoverage): void => {
    if (key !== '' && !key.startsWith('../') && key !== '..' && !index.has(key)) index.set(key, file);
  };
  for (const file of coverage.files) {
    const p = file.path.replace(/\\/g, '/');
    if (path.posix.isAbsolute(p)) add(path.posix.relative(root, p), file);
    else {
      add(path.posix.normalize(p).replace(/^\.\//, ''), file);
      add(path.posix.relative(root, path.posix.resolve(planDir, p)), file);
    }
  }
  return index;
}

/** Test code by the names the common runners look for: it runs the code, nobody measures it. */
const TEST_FILE = picomatch(
  ['**/{test,tests,__tests__,spec,specs}/**', '**/*.{test,spec}.*', '**/test_*.py', '**/*_test.*', '**/*_spec.*'],
  { dot: true },
);
export const isTestFile = (file: string): boolean => TEST_FILE(file);

/** How many coverage files map into the repository: none means the paths need a `pathMap`. */
export function recordsInRepository(coverage: CoverageReport, root: string, planDir: string): number {
  return indexByRepoPath(coverage, root, planDir).size;
}

/** Ascending line numbers → `3`, `5-9`. */
export function lineRanges(lines: readonly number[]): string[] {
  const ranges: string[] = [];
  for (let i = 0; i < lines.length; ) {
    let j = i;
    while (j + 1 < lines.length && lines[j + 1] === lines[j]! + 1) j++;
    ranges.push(i === j ? String(lines[i]) : `${lines[i]}-${lines[j]}`);
    i = j + 1;
  }
  return ranges;
}
