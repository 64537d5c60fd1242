/**
 * lcov tracefiles (c8, nyc, jest, coverage.py `--cov-report=lcov`). Each record's own totals
 * (LF/LH, BRF/BRH, FNF/FNH) are checked against its detail lines when present: a damaged count can
 * then not slip through as more coverage.
 */
import { LineSplitter } from '../text/line-splitter.js';
import { MalformedEvidence, type ChunkParser } from './result.js';
import type { CoverageReport, FileCoverage } from './types.js';

interface OpenRecord {
  readonly path: string;
  readonly startLine: number;
  readonly lines: Record<number, number>;
  readonly branchEntries: { line: number; block: string; branch: string; taken: number }[];
  readonly functions: Record<string, number>;
  /** Keys (`name@line`) of the functions of each name, in FN order. */
  readonly functionKeys: Map<string, string[]>;
  readonly functionHitsSeen: Map<string, number>;
  readonly declared: Partial<Record<'LF' | 'LH' | 'BRF' | 'BRH' | 'FNF' | 'FNH', number>>;
  lineEntries: number;
  lineHitEntries: number;
}

export function createLcovParser(): ChunkParser<CoverageReport> {
  const files: FileCoverage[] = [];
  let record: OpenRecord | undefined;
  let lineNo = 0;

  function fail(message: string): never {
    throw new MalformedEvidence(`line ${lineNo}: ${message}`);
  }

  function line(raw: string): void {
    lineNo++;
    const text = raw.trim();
    if (text === '') return;
    if (text === 'end_of_record') {
      if (record === undefined) fail('end_of_record without SF');
      files.push(finish(record, fail));
      record = undefined;
      return;
    }
    const colon = text.indexOf(':');
    const tag = colon === -1 ? '' : text.slice(0, colon);
    const value = text.slice(colon + 1);
    if (record !== undefined && tag === 'DA') {
      readLineHits(record, value, fail); // the hot path: most lines of a tracefile
      return;
    }
    if (!/^[A-Z]+$/.test(tag)) fail(`not an lcov line: ${JSON.stringify(text.slice(0, 60))}`);
    if (tag === 'TN') return;
    if (tag === 'SF') {
      if (record !== undefined)
        fail(`SF:${value} starts before the record for ${record.path} ended (no end_of_record)`);
      if (value === '') fail('SF without a path');
      record = newRecord(value, lineNo);
      return;
    }
    if (record === undefined) fail(`${tag}: outside a record (no SF before it)`);
    readTag(record, tag, value.split(','), fail);
  }

  const lines = new LineSplitter(line);
  return {
    write: (chunk) => lines.write(chunk),
    end() {
      const rest = lines.end();
      if (rest !== '') line(rest);
      if (record !== undefined) {
        throw new MalformedEvidence(
          `the record for ${record.path} (line ${record.startLine}) has no end_of_record: the file was cut short`,
        );
      }
      if (files.length === 0) throw new MalformedEvidence('no SF records');
      return { format: 'lcov', files };
    },
  };
}

function newRecord(path: string, startLine: number): OpenRecord {
  return {
    path,
    startLine,
    lines: {},
    branchEntries: [],
    functions: {},
    functionKeys: new Map(),
    functionHitsSeen: new Map(),
    declared: {},
    lineEntries: 0,
    lineHitEntries: 0,
  };
}

function readTag(r: OpenRecord, tag: string, fields: string[], fail: (m: string) => never): void {
  switch (tag) {
    case 'BRDA': {
      if (fields.length < 4) fail('BRDA needs line,block,branch,taken');
      const line = count(fields[0], 'BRDA line', fail);
      const taken = fields[3] === '-' ? 0 : count(fields[3], 'BRDA taken', fail);
      r.branchEntries.push({ line, block: fields[1]!, branch: fields[2]!, taken });
      return;
    }
    case 'FN': {
      // `FN:line,name` or lcov 2's `FN:line,endLine,name`; names may hold commas only in the last field.
      const line = count(fields[0], 'FN line', fail);
      const name = fields.slice(fields.length >= 3 && /^\d+$/.test(fields[1] ?? '') ? 2 : 1).join(',');
      if (name === '') fail('FN without a name');
      // c8 writes one `FN:6,get` per decorated member, so two members on one line give two identical
      // records: distinct functions, kept apart by their order (`get@6`, `get@6#2`).
      let key = `${name}@${line}`;
      for (let n = 2; key in r.functions; n++) key = `${name}@${line}#${n}`;
      const keys = r.functionKeys.get(name);
      if (keys === undefined) r.functionKeys.set(name, [key]);
      else keys.push(key);
      r.functions[key] = 0;
      return;
    }
    case 'FNDA': {
      const hits = count(fields[0], 'FNDA count', fail);
      const name = fields.slice(1).join(',');
      // Several functions may share a name (`<instance_members_initializer>` in v8 output): the k-th FNDA
      // of a name belongs to the k-th FN of that name.
      const keys = r.functionKeys.get(name) ?? [];
      const seen = r.functionHitsSeen.get(name) ?? 0;
      r.functionHitsSeen.set(name, seen + 1);
      const key = keys[Math.min(seen, keys.length - 1)] ?? name;
      r.functions[key] = (r.functions[key] ?? 0) + hits;
      return;
    }
    case 'LF':
    case 'LH':
    case 'BRF':
    case 'BRH':
    case 'FNF':
    case 'FNH':
      r.declared[tag] = count(fields[0], tag, fail);
      return;
    default:
      return; // VER, FNL, FNA and other extensions carry nothing we merge
  }
}

function finish(r: OpenRecord, fail: (m: string) => never): FileCoverage {
  const distinctLines = Object.keys(r.lines).length;
  const distinctHit = Object.values(r.lines).filter((h) => h > 0).length;
  const functionCount = Object.keys(r.functions).length;
  const functionHits = Object.values(r.functions).filter((h) => h > 0).length;
  const checks: [keyof OpenRecord['declared'], number[]][] = [
    ['LF', [r.lineEntries, distinctLines]],
    ['LH', [r.lineHitEntries, distinctHit]],
    ['BRF', [r.branchEntries.length]],
    ['BRH', [r.branchEntries.filter((b) => b.taken > 0).length]],
    ['FNF', [functionCount]],
    ['FNH', [functionHits]],
  ];
  for (const [tag, actual] of checks) {
    const declared = r.declared[tag];
    if (declared !== undefined && !actual.includes(declared)) {
      fail(
        `the record for ${r.path} says ${tag}:${declared} but its detail lines give ${actual[0]}: the file is damaged`,
      );
    }
  }
  return { path: r.path, lines: r.lines, branches: branchesByKey(r.branchEntries), functions: r.functions };
}

/**
 * Branch keys that stay the same from one run to the next. istanbul writes every branch of a block on
 * the block's line (`4:0.0`, `4:0.1`, as in coverage-final.json); coverage.py writes each branch on
 * its destination line and numbers them in no stable order, so there `line:block` is the identity.
 */
function branchesByKey(entries: OpenRecord['branchEntries']): Record<string, number> {
  const linesPerBlock = new Map<string, Set<number>>();
  const sizePerBlock = new Map<string, number>();
  for (const e of entries) {
    (linesPerBlock.get(e.block) ?? linesPerBlock.set(e.block, new Set()).get(e.block)!).add(e.line);
    sizePerBlock.set(e.block, (sizePerBlock.get(e.block) ?? 0) + 1);
  }
  const branches: Record<string, number> = {};
  for (const e of entries) {
    const distinctLines = linesPerBlock.get(e.block)!.size === sizePerBlock.get(e.block);
    const key = distinctLines ? `${e.line}:${e.block}` : `${e.line}:${e.block}.${e.branch}`;
    branches[key] = (branches[key] ?? 0) + e.taken;
  }
  return branches;
}

/** `DA:line,hits[,checksum]` */
function readLineHits(r: OpenRecord, value: string, fail: (m: string) => never): void {
  const comma = value.indexOf(',');
  if (comma === -1) fail(`DA needs line,hits: ${quote(value)}`);
  const next = value.indexOf(',', comma + 1);
  const line = digits(value, 0, comma, 'DA line', fail);
  const hits = digits(value, comma + 1, next === -1 ? value.length : next, 'DA hit count', fail);
  r.lines[line] = (r.lines[line] ?? 0) + hits;
  r.lineEntries++;
  if (hits > 0) r.lineHitEntries++;
}

/** A whole number from `text[start, end)`, without allocating. */
function digits(text: string, start: number, end: number, what: string, fail: (m: string) => never): number {
  if (end <= start) fail(`${what} is not a whole number: ""`);
  let n = 0;
  for (let i = start; i < end; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) fail(`${what} is not a whole number: ${quote(text.slice(start, end))}`);
    n = n * 10 + d;
  }
  return n;
}

/** A bit of the offending text for a message, never the whole of a huge line. */
function quote(text: string): string {
  return text.length > 60 ? `${JSON.stringify(text.slice(0, 60))}…` : JSON.stringify(text);
}

function count(text: string | undefined, what: string, fail: (m: string) => never): number {
  const trimmed = text?.trim() ?? '';
  return digits(trimmed, 0, trimmed.length, what, fail);
}
