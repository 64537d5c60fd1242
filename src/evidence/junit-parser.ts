/**
 * JUnit XML (pytest, Surefire, jest-junit, node --test-reporter=junit, go-junit-report), streamed
 * through saxes. Counts come from the <testcase> elements themselves, never from the summary
 * attributes, so a report cut short cannot claim more than it shows (and an unclosed document is an
 * error anyway).
 */
import type { SaxesTagPlain } from 'saxes';
import { createXmlReader } from './xml-stream.js';
import { MalformedEvidence, type ChunkParser } from './result.js';
import { capDetails, countCases, firstLine } from './test-counts.js';
import type { TestCase, TestReport, TestStatus } from './types.js';

/** Children of <testcase> we understand; anything else means the file is not what we think it is. */
const OUTCOME_ELEMENTS = new Set(['failure', 'error', 'skipped']);
const OUTPUT_ELEMENTS = new Set(['system-out', 'system-err']);
/** Surefire's rerun/flaky records and property lists carry no outcome of their own. */
const NEUTRAL_ELEMENTS = new Set([
  'properties',
  'property',
  'rerunFailure',
  'rerunError',
  'flakyFailure',
  'flakyError',
  'stackTrace',
]);

/** node's junit reporter writes `classname="test"` on every case; it names nothing. */
const MEANINGLESS_CLASSNAMES = new Set(['', 'test']);

interface OpenCase {
  readonly name: string;
  readonly classname: string;
  readonly file?: string;
  readonly durationMs: number;
  readonly suitePath: readonly string[];
  outcome?: 'failure' | 'error' | 'skipped';
  outcomeMessage?: string;
  readonly detailParts: string[];
  /** Set when the case held something no JUnit writer produces: counted as an error, never a pass. */
  damage?: string;
}

export function createJunitParser(): ChunkParser<TestReport> {
  const xml = createXmlReader();
  const { sax } = xml;
  const cases: TestCase[] = [];
  const suites: { name: string; file?: string }[] = [];
  let root: string | undefined;
  let current: OpenCase | undefined;
  /** Name of the direct child of <testcase> we are inside, and how deep below it. */
  let child: { name: string; depth: number; text: string } | undefined;

  sax.on('opentag', (tag: SaxesTagPlain) => {
    if (root === undefined) {
      root = tag.name;
      if (root !== 'testsuites' && root !== 'testsuite') {
        throw new MalformedEvidence(`the root element is <${root}>, expected <testsuites> or <testsuite>`);
      }
    }
    if (current !== undefined) {
      openInsideCase(current, tag);
      return;
    }
    if (tag.name === 'testsuite') {
      suites.push({ name: attr(tag, 'name'), file: optionalAttr(tag, 'file') ?? suites.at(-1)?.file });
    } else if (tag.name === 'testcase') {
      current = {
        name: attr(tag, 'name'),
        classname: attr(tag, 'classname'),
        file: optionalAttr(tag, 'file') ?? suites.at(-1)?.file,
        durationMs: secondsToMs(attr(tag, 'time')),
        suitePath: suites.map((s) => s.name).filter((n) => n !== ''),
        detailParts: [],
      };
    }
  });

  function openInsideCase(c: OpenCase, tag: SaxesTagPlain): void {
    if (child !== undefined) {
      child.depth++;
      return;
    }
    child = { name: tag.name, depth: 0, text: '' };
    if (OUTCOME_ELEMENTS.has(tag.name)) {
      const outcome = tag.name as 'failure' | 'error' | 'skipped';
      c.outcome = strongerOutcome(c.outcome, outcome);
      if (c.outcome === outcome) c.outcomeMessage = optionalAttr(tag, 'message') ?? c.outcomeMessage;
    } else if (!OUTPUT_ELEMENTS.has(tag.name) && !NEUTRAL_ELEMENTS.has(tag.name)) {
      c.damage = `unexpected <${tag.name}> inside <testcase> — the report may be damaged`;
    }
  }

  const onText = (text: string): void => {
    if (current === undefined) return;
    if (child !== undefined) child.text += text;
    else if (text.trim() !== '') current.damage = 'unexpected text inside <testcase> — the report may be damaged';
  };
  sax.on('text', onText);
  sax.on('cdata', onText);

  sax.on('closetag', (tag) => {
    if (current !== undefined) {
      if (child !== undefined) {
        if (child.depth > 0) {
          child.depth--;
          return;
        }
        if (OUTCOME_ELEMENTS.has(child.name) || OUTPUT_ELEMENTS.has(child.name)) current.detailParts.push(child.text);
        child = undefined;
        return;
      }
      if (tag.name === 'testcase') {
        cases.push(finishCase(current));
        current = undefined;
      }
      return;
    }
    if (tag.name === 'testsuite') suites.pop();
  });

  return {
    write(chunk) {
      xml.write(chunk);
    },
    end() {
      xml.close();
      if (root === undefined) throw new MalformedEvidence('no XML element found');
      return { format: 'junit', cases, counts: countCases(cases) };
    },
  };
}

function finishCase(c: OpenCase): TestCase {
  const status: TestStatus = c.damage !== undefined ? 'error' : outcomeStatus(c.outcome);
  const suite = MEANINGLESS_CLASSNAMES.has(c.classname) || c.classname === c.name ? c.suitePath.join(' > ') : c.classname;
  const base = { suite, name: c.name, status, durationMs: c.durationMs, ...(c.file === undefined ? {} : { file: c.file }) };
  if (status === 'passed') return base;
  const details = capDetails(c.detailParts.join('\n'));
  const message = c.damage ?? firstLine(c.outcomeMessage) ?? firstLine(details);
  return { ...base, ...(message === undefined ? {} : { message }), ...(details === undefined ? {} : { details }) };
}

function outcomeStatus(outcome: OpenCase['outcome']): TestStatus {
  if (outcome === 'skipped') return 'skipped';
  if (outcome === 'error') return 'error';
  if (outcome === 'failure') return 'failed';
  return 'passed';
}

/**
 * Skipped wins (node writes a failing `todo` as <skipped type="todo"> plus <failure>, and does not
 * count it as failed); then error over failure.
 */
function strongerOutcome(a: OpenCase['outcome'], b: 'failure' | 'error' | 'skipped'): OpenCase['outcome'] {
  const rank = { failure: 1, error: 2, skipped: 3 } as const;
  return a === undefined || rank[b] > rank[a] ? b : a;
}

function attr(tag: SaxesTagPlain, name: string): string {
  return optionalAttr(tag, name) ?? '';
}

function optionalAttr(tag: SaxesTagPlain, name: string): string | undefined {
  const value = tag.attributes[name];
  return typeof value === 'string' ? value : undefined;
}

/** `time` is seconds; Surefire may write `1,234.5` in some locales. */
function secondsToMs(text: string): number {
  const seconds = Number(text.replace(/,/g, ''));
  return Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds * 1_000_000) / 1000 : 0;
}
