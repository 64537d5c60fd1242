/** Human text for gate thresholds, actual values and test names. */
import type { TestCase } from './types.js';

/**
 * The one label of a test: `suite > name` (the suite left out when empty or equal to the name). Criteria
 * patterns are tried on it, and every output shows it.
 */
export function testLabel(test: Pick<TestCase, 'suite' | 'name'>): string {
  return test.suite && test.suite !== test.name ? `${test.suite} > ${test.name}` : test.name;
}

/** Percent with one decimal, rounded DOWN so that a failing value never prints as the threshold. */
export function formatPercent(covered: number, total: number): string {
  const tenths = Math.floor((covered * 1000) / total);
  return `${(tenths / 10).toFixed(1)}%`;
}

export function formatThresholdPercent(threshold: number): string {
  return `≥ ${threshold}%`;
}

/** Keeps a list readable: the first `max` lines, then `… and N more`. */
export function capList(lines: readonly string[], max: number, noun = 'more'): string[] {
  if (lines.length <= max) return [...lines];
  return [...lines.slice(0, max), `… and ${lines.length - max} ${noun}`];
}
