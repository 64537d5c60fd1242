/**
 * Test results from what a runner prints (no JUnit, no TAP): each line is matched against pass, fail
 * and skip patterns (a preset's or the plan's own), a file header names the file later tests belong
 * to. A command that exited non-zero without a failing line is a failure named after the last file
 * seen ("stopped in <file>: the rest never ran"), so a crash between tests can never read as a pass.
 */
import { LineSplitter } from '../text/line-splitter.js';
import { MalformedEvidence, type ChunkParser } from './result.js';
import { CaseList } from './case-list.js';
import { capText, MAX_NAME_CHARS } from './test-counts.js';
import { TEXT_PRESETS, type TextPatterns, type TextPreset } from './text-presets.js';
import type { TestCase, TestReport, TestStatus } from './types.js';

/** What the plan says (`results: { text: … }`): a preset, or patterns as RegExp sources. */
export type TextResultsSpec =
  | { readonly preset: TextPreset }
  | { readonly pass: string; readonly fail: string; readonly skip?: string; readonly file?: string };

export interface TextRunOutcome {
  /** The phase command's exit code; `null` or absent when unknown (a file read on its own). */
  readonly exitCode?: number | null;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

export function textPatterns(spec: TextResultsSpec): TextPatterns {
  if ('preset' in spec) return TEXT_PRESETS[spec.preset];
  const compile = (source: string, key: string): RegExp => {
    try {
      return new RegExp(source);
    } catch (err) {
      throw new MalformedEvidence(`results.text.${key} is not a valid regular expression: ${(err as Error).message}`);
    }
  };
  return {
    pass: compile(spec.pass, 'pass'),
    fail: compile(spec.fail, 'fail'),
    ...(spec.skip === undefined ? {} : { skip: compile(spec.skip, 'skip') }),
    ...(spec.file === undefined ? {} : { file: compile(spec.file, 'file') }),
  };
}

export interface TextParser extends ChunkParser<TestReport> {
  /** One line, when the caller already has lines (a phase's log events). */
  line(text: string): void;
  /** As `ChunkParser.end`; `outcome` replaces the one given at creation (the exit code is known last). */
  end(outcome?: TextRunOutcome): TestReport;
}

export function createTextParser(spec: TextResultsSpec, outcome: TextRunOutcome = {}): TextParser {
  const patterns = textPatterns(spec);
  const cases = new CaseList();
  let file: string | undefined;
  let ended = false;

  function add(status: TestStatus, match: RegExpExecArray): void {
    const name = capText(firstGroup(match) ?? match[0].trim(), MAX_NAME_CHARS);
    const count = Math.min(Number(match.groups?.['count'] ?? 1) || 1, 100_000);
    const base = { suite: file ?? '', name, status, durationMs: 0, ...(file === undefined ? {} : { file }) };
    const testCase: TestCase =
      status === 'failed' ? { ...base, message: capText(match.input.trim(), MAX_NAME_CHARS) } : base;
    for (let i = 0; i < count; i++) cases.push(testCase);
  }

  function line(raw: string): void {
    if (ended) return;
    const text = raw.includes('\x1b') ? raw.replace(ANSI, '') : raw;
    const trimmed = text.trimEnd();
    if (patterns.end?.test(trimmed)) {
      ended = true;
      return;
    }
    let m: RegExpExecArray | null;
    if ((m = patterns.fail.exec(trimmed))) add('failed', m);
    else if ((m = patterns.pass.exec(trimmed))) add('passed', m);
    else if (patterns.skip && (m = patterns.skip.exec(trimmed))) add('skipped', m);
    else if (patterns.file && (m = patterns.file.exec(trimmed)))
      file = capText(firstGroup(m) ?? m[0].trim(), MAX_NAME_CHARS);
  }

  const lines = new LineSplitter(line);
  return {
    line,
    write: (chunk) => lines.write(chunk),
    end(final = outcome) {
      lines.flush();
      const { exitCode } = final;
      if (exitCode !== undefined && exitCode !== null && exitCode !== 0 && cases.counts().failed === 0) {
        const where = file === undefined ? 'the command' : `stopped in ${file}`;
        cases.push({
          suite: file ?? '',
          name: file === undefined ? `exit code ${exitCode}` : file,
          status: 'failed',
          durationMs: 0,
          ...(file === undefined ? {} : { file }),
          message: `${where}: exited with code ${exitCode} and no failing test line; the rest never ran`,
        });
      }
      return { format: 'text', cases, counts: cases.counts() };
    },
  };
}

function firstGroup(match: RegExpExecArray): string | undefined {
  for (let i = 1; i < match.length; i++) {
    const group = match[i];
    if (group !== undefined && group !== '' && group !== match.groups?.['count']) return group.trim();
  }
  return undefined;
}
