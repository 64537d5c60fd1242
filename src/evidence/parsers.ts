/** Format name → parser, and in-memory parsing for callers that already hold the text. */
import type { CoverageFormat } from '../dsl/types.js';
import { createCoberturaParser } from './cobertura-parser.js';
import { mapPaths } from './coverage-merge.js';
import { createIstanbulFinalParser, createIstanbulSummaryParser } from './istanbul-parser.js';
import { createJunitParser } from './junit-parser.js';
import { createLcovParser } from './lcov-parser.js';
import {
  evidenceError,
  INLINE_SOURCE,
  malformedMessage,
  parseText,
  type ChunkParser,
  type EvidenceResult,
  type EvidenceSource,
} from './result.js';
import { createTapParser } from './tap-parser.js';
import { createTextParser, type TextResultsSpec, type TextRunOutcome } from './text-parser.js';
import type { CoverageReport, TestReport } from './types.js';

export type TestReportFormat = 'junit' | 'tap';

export function testReportParser(format: TestReportFormat): ChunkParser<TestReport> {
  return format === 'junit' ? createJunitParser() : createTapParser();
}

export function coverageParser(format: CoverageFormat): ChunkParser<CoverageReport> {
  switch (format) {
    case 'lcov':
      return createLcovParser();
    case 'cobertura':
      return createCoberturaParser();
    case 'istanbul-final':
      return createIstanbulFinalParser();
    case 'istanbul-summary':
      return createIstanbulSummaryParser();
  }
}

export const FORMAT_NAMES: Readonly<Record<TestReportFormat | 'text' | CoverageFormat, string>> = {
  junit: 'JUnit XML',
  tap: 'TAP',
  text: 'test output',
  lcov: 'lcov',
  cobertura: 'Cobertura XML',
  'istanbul-final': 'istanbul coverage-final.json',
  'istanbul-summary': 'istanbul coverage-summary.json',
};

export function parseTestReport(
  text: string,
  format: TestReportFormat,
  source: EvidenceSource = INLINE_SOURCE,
): EvidenceResult<TestReport> {
  return parseText(testReportParser(format), text, source, FORMAT_NAMES[format]);
}

export function parseCoverage(
  text: string,
  format: CoverageFormat,
  source: EvidenceSource = INLINE_SOURCE,
  pathMap: Readonly<Record<string, string>> = {},
): EvidenceResult<CoverageReport> {
  const result = parseText(coverageParser(format), text, source, FORMAT_NAMES[format]);
  return result.ok ? { ok: true, value: mapPaths(result.value, pathMap) } : result;
}

/** Test results from a runner's printed output held in memory (see text-parser.ts). */
export function parseTextResults(
  text: string,
  spec: TextResultsSpec,
  outcome: TextRunOutcome = {},
  source: EvidenceSource = INLINE_SOURCE,
): EvidenceResult<TestReport> {
  try {
    const parser = createTextParser(spec, outcome);
    parser.write(text);
    return { ok: true, value: parser.end() };
  } catch (err) {
    return { ok: false, error: evidenceError(source, malformedMessage(err, FORMAT_NAMES.text)) };
  }
}
