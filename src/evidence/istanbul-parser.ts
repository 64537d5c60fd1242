/**
 * istanbul JSON: `coverage-final.json` (full detail: statementMap/s, branchMap/b, fnMap/f) and
 * `coverage-summary.json` (counts per file and a total, no lines). Both are single JSON documents,
 * so they are buffered, then validated shape by shape: anything unexpected is an error, not a guess.
 *
 * Limits: coverage-final.json carries no totals to check counts against, so a damaged digit in a hit
 * count cannot be detected there. coverage-summary.json has no line detail: merge keeps the best
 * single phase per file and metric (a lower bound, see FileCoverage.totals), never an average.
 */
import { MalformedEvidence, type ChunkParser } from './result.js';
import type { CoverageMetric, CoverageReport, FileCoverage, MetricTotals } from './types.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function bufferJson<T>(convert: (value: Json) => T): ChunkParser<T> {
  const chunks: string[] = [];
  return {
    write(chunk) {
      chunks.push(chunk);
    },
    end() {
      let value: Json;
      try {
        value = JSON.parse(chunks.join('').replace(/^\uFEFF/, '')) as Json;
      } catch (err) {
        throw new MalformedEvidence(`invalid JSON (${err instanceof Error ? err.message : String(err)})`);
      }
      return convert(value);
    },
  };
}

export function createIstanbulFinalParser(): ChunkParser<CoverageReport> {
  return bufferJson((value) => {
    const root = object(value, 'the document');
    const files = Object.entries(root).map(([key, entry]) => finalFile(key, object(entry, key)));
    if (files.length === 0) throw new MalformedEvidence('no files in coverage-final.json');
    return { format: 'istanbul-final', files };
  });
}

function finalFile(key: string, data: JsonObject): FileCoverage {
  const path = typeof data['path'] === 'string' && data['path'] !== '' ? data['path'] : key;
  const statementMap = object(data['statementMap'], `${key}.statementMap`);
  const s = object(data['s'], `${key}.s`);
  const fnMap = object(data['fnMap'], `${key}.fnMap`);
  const f = object(data['f'], `${key}.f`);
  const branchMap = object(data['branchMap'], `${key}.branchMap`);
  const b = object(data['b'], `${key}.b`);

  const lines: Record<number, number> = {};
  const statementHits: Record<string, number> = {};
  for (const [id, loc] of Object.entries(statementMap)) {
    const start = position(object(loc, `${key}.statementMap.${id}`), 'start', `${key}.statementMap.${id}`);
    const hits = count(s[id], `${key}.s.${id}`);
    // As istanbul does: a line's count is its most-executed statement.
    lines[start.line] = Math.max(lines[start.line] ?? 0, hits);
    statementHits[`${start.line}:${start.column}`] = (statementHits[`${start.line}:${start.column}`] ?? 0) + hits;
  }
  const functions: Record<string, number> = {};
  for (const [id, meta] of Object.entries(fnMap)) {
    const fn = object(meta, `${key}.fnMap.${id}`);
    const name = typeof fn['name'] === 'string' && fn['name'] !== '' ? fn['name'] : `(anonymous_${id})`;
    const decl = fn['decl'] ?? fn['loc'];
    const line =
      decl === undefined
        ? Number(fn['line'] ?? 0)
        : position(object(decl, `${key}.fnMap.${id}.decl`), 'start', `${key}.fnMap.${id}`).line;
    // Distinct ids with one name and line (c8: decorated members on one line) are distinct functions.
    let fnKey = `${name}@${line}`;
    for (let n = 2; fnKey in functions; n++) fnKey = `${name}@${line}#${n}`;
    functions[fnKey] = count(f[id], `${key}.f.${id}`);
  }
  const branches: Record<string, number> = {};
  for (const [id, meta] of Object.entries(branchMap)) {
    const branch = object(meta, `${key}.branchMap.${id}`);
    const counts = b[id];
    if (!Array.isArray(counts)) throw new MalformedEvidence(`${key}.b.${id} is not a list of counts`);
    const line = branchLine(branch, `${key}.branchMap.${id}`);
    // Same keys as the lcov parser gives istanbul's own lcov output: `line:id` for a one-way branch.
    counts.forEach((c, i) => {
      branches[counts.length === 1 ? `${line}:${id}` : `${line}:${id}.${i}`] = count(c, `${key}.b.${id}[${i}]`);
    });
  }
  const statementValues = Object.values(statementHits);
  return {
    path,
    lines,
    branches,
    functions,
    statementHits,
    statements: { total: statementValues.length, covered: statementValues.filter((h) => h > 0).length },
  };
}

function branchLine(branch: JsonObject, where: string): number {
  if (typeof branch['line'] === 'number') return branch['line'];
  if (branch['loc'] !== undefined) return position(object(branch['loc'], where), 'start', where).line;
  const first = Array.isArray(branch['locations']) ? branch['locations'][0] : undefined;
  if (first !== undefined) return position(object(first, where), 'start', where).line;
  throw new MalformedEvidence(`${where} has no line`);
}

const METRICS: readonly CoverageMetric[] = ['lines', 'statements', 'functions', 'branches'];

export function createIstanbulSummaryParser(): ChunkParser<CoverageReport> {
  return bufferJson((value) => {
    const root = object(value, 'the document');
    // istanbul always writes `total`; without it a damaged key could pass a file's counts off unchecked.
    if (root['total'] === undefined)
      throw new MalformedEvidence('no "total" entry: not an istanbul coverage-summary.json, or a damaged one');
    const total = summaryTotals(object(root['total'], 'total'), 'total');
    const files: FileCoverage[] = Object.entries(root)
      .filter(([key]) => key !== 'total')
      .map(([path, entry]) => ({
        path,
        lines: {},
        branches: {},
        functions: {},
        totals: summaryTotals(object(entry, path), path),
      }));
    if (files.length === 0) {
      throw new MalformedEvidence(
        'coverage-summary.json has no per-file entries, only a total: phases cannot be merged from it — use coverage-final.json or lcov',
      );
    }
    for (const metric of METRICS) {
      const sum = files.reduce((acc, f) => acc + (f.totals?.[metric]?.covered ?? 0), 0);
      const expected = total[metric]?.covered;
      if (expected !== undefined && expected !== sum) {
        throw new MalformedEvidence(
          `total.${metric}.covered is ${expected} but the files add up to ${sum}: the file is damaged`,
        );
      }
    }
    return { format: 'istanbul-summary', files };
  });
}

function summaryTotals(entry: JsonObject, where: string): Partial<Record<CoverageMetric, MetricTotals>> {
  const totals: Partial<Record<CoverageMetric, MetricTotals>> = {};
  for (const metric of METRICS) {
    if (entry[metric] === undefined) continue;
    const m = object(entry[metric], `${where}.${metric}`);
    const total = count(m['total'], `${where}.${metric}.total`);
    const covered = count(m['covered'], `${where}.${metric}.covered`);
    if (covered > total)
      throw new MalformedEvidence(`${where}.${metric}: covered ${covered} is more than total ${total}`);
    // istanbul floors pct to 2 decimals; a pct that disagrees with the counts means a damaged file.
    if (typeof m['pct'] === 'number' && total > 0 && Math.abs(m['pct'] - (covered * 100) / total) > 0.011) {
      throw new MalformedEvidence(
        `${where}.${metric}: pct ${m['pct']} does not match ${covered}/${total}: the file is damaged`,
      );
    }
    totals[metric] = { covered, total };
  }
  return totals;
}

function object(value: Json | undefined, where: string): JsonObject {
  if (value === null || value === undefined || typeof value !== 'object' || Array.isArray(value)) {
    throw new MalformedEvidence(`${where} is not an object`);
  }
  return value;
}

function count(value: Json | undefined, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
    throw new MalformedEvidence(`${where} is not a count`);
  return value;
}

function position(loc: JsonObject, which: 'start', where: string): { line: number; column: number } {
  const p = object(loc[which], `${where}.${which}`);
  const line = p['line'];
  const column = p['column'];
  if (typeof line !== 'number' || !Number.isInteger(line))
    throw new MalformedEvidence(`${where}.${which}.line is not a line number`);
  return { line, column: typeof column === 'number' ? column : 0 };
}
