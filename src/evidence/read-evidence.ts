/**
 * Reading result and coverage files from disk, streamed chunk by chunk into the parsers. A missing,
 * empty, unreadable or malformed file is an error result naming the file and the phase; nothing here
 * throws and nothing here passes by default.
 */
import { createReadStream } from 'node:fs';
import type { CoverageFormat } from '../dsl/types.js';
import { mapPaths } from './coverage-merge.js';
import { coverageParser, FORMAT_NAMES, testReportParser, type TestReportFormat } from './parsers.js';
import {
  evidenceError,
  malformedMessage,
  type ChunkParser,
  type EvidenceResult,
  type EvidenceSource,
} from './result.js';
import { createTextParser, type TextResultsSpec, type TextRunOutcome } from './text-parser.js';
import type { CoverageReport, TestReport } from './types.js';

/** Opens a file as text chunks; injected so tests need no disk. */
export type OpenText = (file: string) => AsyncIterable<string>;

export const openTextFile: OpenText = (file) => createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 16 });

export interface ReadOptions {
  readonly openText?: OpenText;
}

export async function readTestReport(
  file: string,
  format: TestReportFormat,
  phase?: string,
  options: ReadOptions = {},
): Promise<EvidenceResult<TestReport>> {
  const source = sourceOf(file, phase);
  return readWith(testReportParser(format), source, FORMAT_NAMES[format], options.openText ?? openTextFile);
}

export async function readCoverage(
  file: string,
  format: CoverageFormat,
  phase?: string,
  pathMap: Readonly<Record<string, string>> = {},
  options: ReadOptions = {},
): Promise<EvidenceResult<CoverageReport>> {
  const source = sourceOf(file, phase);
  const result = await readWith(coverageParser(format), source, FORMAT_NAMES[format], options.openText ?? openTextFile);
  return result.ok ? { ok: true, value: mapPaths(result.value, pathMap) } : result;
}

/** Test results from a file holding a runner's printed output (`results: { text: { path } }`). */
export async function readTextResults(
  file: string,
  spec: TextResultsSpec,
  phase?: string,
  outcome: TextRunOutcome = {},
  options: ReadOptions = {},
): Promise<EvidenceResult<TestReport>> {
  const source = sourceOf(file, phase);
  let parser: ChunkParser<TestReport>;
  try {
    parser = createTextParser(spec, outcome);
  } catch (err) {
    return { ok: false, error: evidenceError(source, malformedMessage(err, FORMAT_NAMES.text)) };
  }
  return readWith(parser, source, FORMAT_NAMES.text, options.openText ?? openTextFile);
}

function sourceOf(file: string, phase: string | undefined): EvidenceSource {
  return phase === undefined ? { file } : { file, phase };
}

async function readWith<T>(
  parser: ChunkParser<T>,
  source: EvidenceSource,
  what: string,
  openText: OpenText,
): Promise<EvidenceResult<T>> {
  let sawContent = false;
  try {
    for await (const chunk of openText(source.file)) {
      if (!sawContent && chunk.trim() === '') continue;
      sawContent = true;
      parser.write(chunk);
    }
  } catch (err) {
    return {
      ok: false,
      error: evidenceError(source, isIoError(err) ? ioMessage(err, what) : malformedMessage(err, what)),
    };
  }
  if (!sawContent)
    return {
      ok: false,
      error: evidenceError(source, `the ${what} file is empty: the tool wrote nothing (did it crash?)`),
    };
  try {
    return { ok: true, value: parser.end() };
  } catch (err) {
    return { ok: false, error: evidenceError(source, malformedMessage(err, what)) };
  }
}

function isIoError(err: unknown): err is NodeJS.ErrnoException {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string';
}

function ioMessage(err: NodeJS.ErrnoException, what: string): string {
  switch (err.code) {
    case 'ENOENT':
      return `the ${what} file was not written: check that the phase's command writes it to this path`;
    case 'EISDIR':
      return `this is a folder, not a ${what} file: point the plan at the file itself`;
    case 'EACCES':
    case 'EPERM':
      return `the ${what} file cannot be read (permission denied)`;
    default:
      return `the ${what} file cannot be read: ${err.message}`;
  }
}
