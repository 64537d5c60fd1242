import type { TestCase, TestCounts } from './types.js';

export function countCases(cases: readonly TestCase[]): TestCounts {
  let passed = 0;
  let failed = 0;
  let errored = 0;
  let skipped = 0;
  for (const c of cases) {
    if (c.status === 'passed') passed++;
    else if (c.status === 'failed') failed++;
    else if (c.status === 'error') errored++;
    else skipped++;
  }
  return { total: cases.length, passed, failed, errored, skipped };
}

/** Cases that ran: skipped ones did not. */
export function executedCount(counts: TestCounts): number {
  return counts.passed + counts.failed + counts.errored;
}

/** Failure text is capped so that a 20k-case report stays a readable results.json. */
export const MAX_DETAILS_CHARS = 4000;

export function capDetails(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  return trimmed.length > MAX_DETAILS_CHARS ? `${trimmed.slice(0, MAX_DETAILS_CHARS)}\n… (cut)` : trimmed;
}

export function firstLine(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const line = text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '');
  return line === undefined || line === '' ? undefined : line;
}
