/**
 * Cobertura XML (coverage.py `coverage.xml`, c8/istanbul `cobertura-coverage.xml`), streamed
 * through saxes. File names are relative to the first `<source>`; `mapPaths` turns the result into
 * repo paths. Cobertura only gives a per-line count of branches taken (`condition-coverage="50%
 * (1/2)"`), not which ones: branches are keyed `line:0..n-1` with the taken ones first, so two
 * phases that each took a different half of a line count as half, never more (a lower bound).
 */
import type { SaxesTagPlain } from 'saxes';
import { createXmlReader } from './xml-stream.js';
import { MalformedEvidence, type ChunkParser } from './result.js';
import type { CoverageReport, FileCoverage } from './types.js';

interface OpenFile {
  readonly path: string;
  readonly lines: Record<number, number>;
  readonly branches: Record<string, number>;
  readonly functions: Record<string, number>;
}

interface OpenMethod {
  readonly name: string;
  readonly hits?: number;
  firstLine?: number;
  firstLineHits?: number;
}

export function createCoberturaParser(): ChunkParser<CoverageReport> {
  const xml = createXmlReader();
  const { sax } = xml;
  const sources: string[] = [];
  const byPath = new Map<string, OpenFile>();
  let declared: { linesValid?: number; linesCovered?: number; branchesValid?: number; branchesCovered?: number } = {};
  let root: string | undefined;
  let sourceText: string | undefined;
  let file: OpenFile | undefined;
  let method: OpenMethod | undefined;
  /** Function keys used by the current <class>: a repeat there is another method on the same line. */
  let classKeys = new Set<string>();

  sax.on('opentag', (tag: SaxesTagPlain) => {
    if (root === undefined) {
      root = tag.name;
      if (root !== 'coverage') throw new MalformedEvidence(`the root element is <${root}>, expected <coverage>`);
      declared = {
        linesValid: optionalCount(tag, 'lines-valid'),
        linesCovered: optionalCount(tag, 'lines-covered'),
        branchesValid: optionalCount(tag, 'branches-valid'),
        branchesCovered: optionalCount(tag, 'branches-covered'),
      };
      return;
    }
    switch (tag.name) {
      case 'source':
        sourceText = '';
        return;
      case 'class': {
        const filename = attr(tag, 'filename');
        if (filename === '') throw new MalformedEvidence('a <class> has no filename');
        const path = resolvePath(sources[0], filename);
        file = byPath.get(path) ?? { path, lines: {}, branches: {}, functions: {} };
        byPath.set(path, file);
        classKeys = new Set();
        return;
      }
      case 'method': {
        const hits = optionalCount(tag, 'hits');
        method = { name: attr(tag, 'name') || '(anonymous)', ...(hits === undefined ? {} : { hits }) };
        return;
      }
      case 'line':
        readLine(tag);
        return;
      default:
        return;
    }
  });

  function readLine(tag: SaxesTagPlain): void {
    if (file === undefined) throw new MalformedEvidence('a <line> outside any <class>');
    const number = requiredCount(tag, 'number');
    const hits = requiredCount(tag, 'hits');
    if (method !== undefined) {
      // A method's lines repeat the class's lines; they only tell where the method starts.
      if (method.firstLine === undefined) {
        method.firstLine = number;
        method.firstLineHits = hits;
      }
      return;
    }
    file.lines[number] = (file.lines[number] ?? 0) + hits;
    const condition = /\((\d+)\/(\d+)\)/.exec(attr(tag, 'condition-coverage'));
    if (attr(tag, 'branch') === 'true' && condition) {
      const taken = Number(condition[1]);
      const total = Number(condition[2]);
      if (taken > total)
        throw new MalformedEvidence(`line ${number} of ${file.path}: condition-coverage takes ${taken} of ${total}`);
      for (let i = 0; i < total; i++) {
        const key = `${number}:${i}`;
        file.branches[key] = (file.branches[key] ?? 0) + (i < taken ? 1 : 0);
      }
    }
  }

  sax.on('text', (text) => {
    if (sourceText !== undefined) sourceText += text;
  });

  sax.on('closetag', (tag) => {
    if (tag.name === 'source' && sourceText !== undefined) {
      sources.push(sourceText.trim());
      sourceText = undefined;
    } else if (tag.name === 'method' && method !== undefined) {
      if (file !== undefined) {
        const line = method.firstLine ?? 0;
        let key = `${method.name}@${line}`;
        for (let n = 2; classKeys.has(key); n++) key = `${method.name}@${line}#${n}`;
        classKeys.add(key);
        file.functions[key] = (file.functions[key] ?? 0) + methodCalls(method);
      }
      method = undefined;
    } else if (tag.name === 'class') {
      file = undefined;
    }
  });

  return {
    write(chunk) {
      xml.write(chunk);
    },
    end() {
      xml.close();
      if (root === undefined) throw new MalformedEvidence('no XML element found');
      const files: FileCoverage[] = [...byPath.values()];
      checkDeclaredTotals(files, declared);
      return { format: 'cobertura', files };
    },
  };
}

/** The root's own totals must agree with the lines: a damaged hit count cannot pass as coverage. */
/**
 * A method's call count. Cobertura declares no function totals to check it against, so when the
 * method's own line is there too the lower of the two counts: a damaged `hits` cannot make an
 * unexecuted method look called.
 */
function methodCalls(method: OpenMethod): number {
  if (method.hits === undefined) return method.firstLineHits ?? 0;
  return method.firstLineHits === undefined ? method.hits : Math.min(method.hits, method.firstLineHits);
}

function checkDeclaredTotals(files: readonly FileCoverage[], declared: Record<string, number | undefined>): void {
  const lines = files.flatMap((f) => Object.values(f.lines));
  const branches = files.flatMap((f) => Object.values(f.branches));
  const actual = {
    linesValid: lines.length,
    linesCovered: lines.filter((h) => h > 0).length,
    branchesValid: branches.length,
    branchesCovered: branches.filter((h) => h > 0).length,
  };
  for (const [key, value] of Object.entries(actual)) {
    const expected = declared[key];
    if (expected !== undefined && expected !== value) {
      const attrName = key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
      throw new MalformedEvidence(
        `<coverage ${attrName}="${expected}"> but the <line> elements give ${value}: the file is damaged`,
      );
    }
  }
}

function resolvePath(source: string | undefined, filename: string): string {
  if (filename.startsWith('/') || /^[A-Za-z]:[\\/]/.test(filename) || source === undefined || source === '')
    return filename;
  return `${source.replace(/[\\/]+$/, '')}/${filename}`;
}

function attr(tag: SaxesTagPlain, name: string): string {
  const value = tag.attributes[name];
  return typeof value === 'string' ? value : '';
}

function optionalCount(tag: SaxesTagPlain, name: string): number | undefined {
  const text = attr(tag, name);
  if (text === '') return undefined;
  if (!/^\d+$/.test(text)) throw new MalformedEvidence(`<${tag.name} ${name}="${text}"> is not a whole number`);
  return Number(text);
}

function requiredCount(tag: SaxesTagPlain, name: string): number {
  const value = optionalCount(tag, name);
  if (value === undefined) throw new MalformedEvidence(`a <${tag.name}> has no ${name}`);
  return value;
}
