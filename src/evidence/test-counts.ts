import type { TestCase, TestCounts } from './types.js';

export function countCases(cases: Iterable<TestCase>): TestCounts {
  let total = 0;
  let passed = 0;
  let failed = 0;
  let errored = 0;
  let skipped = 0;
  for (const c of cases) {
    total++;
    if (c.status === 'passed') passed++;
    else if (c.status === 'failed') failed++;
    else if (c.status === 'error') errored++;
    else skipped++;
  }
  return { total, passed, failed, errored, skipped };
}

export const NO_TESTS: TestCounts = { total: 0, passed: 0, failed: 0, errored: 0, skipped: 0 };

/** Counts of several reports added up. */
export function sumCounts(all: readonly TestCounts[]): TestCounts {
  return all.reduce(
    (a, c) => ({
      total: a.total + c.total,
      passed: a.passed + c.passed,
      failed: a.failed + c.failed,
      errored: a.errored + c.errored,
      skipped: a.skipped + c.skipped,
    }),
    NO_TESTS,
  );
}

/** Cases that ran: skipped ones did not. */
export function executedCount(counts: TestCounts): number {
  return counts.passed + counts.failed + counts.errored;
}

/**
 * Stored text is capped so that memory and results.json stay proportional to the number of tests,
 * whatever a tool (or an attacker) writes: names and messages at 4 KiB, details at 8 KiB.
 */
export const MAX_NAME_CHARS = 4096;
export const MAX_MESSAGE_CHARS = 4096;
export const MAX_DETAILS_CHARS = 8192;

/** `text` cut to `max` characters with a marker saying how much was dropped (never mid surrogate pair). */
export function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${text.slice(0, end)}… ${text.length - end} characters cut`;
}

export function capDetails(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  return capText(trimmed, MAX_DETAILS_CHARS);
}

/** A copy that does not keep the (much larger) chunk it was sliced from alive. */
export function ownString(text: string): string {
  return text.length < 13 ? text : ` ${text}`.slice(1);
}

export function firstLine(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  // Only the start is looked at: a 50 MB message must not be split into lines.
  const head = text.length > MAX_MESSAGE_CHARS * 4 ? text.slice(0, MAX_MESSAGE_CHARS * 4) : text;
  const line = head
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '');
  return line === undefined || line === '' ? undefined : capText(line, MAX_MESSAGE_CHARS);
}
