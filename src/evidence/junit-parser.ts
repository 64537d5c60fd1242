/**
 * JUnit XML (pytest, Surefire, jest-junit, mocha, node --test-reporter=junit, go-junit-report), streamed
 * through saxes. Counts come from the <testcase> elements themselves; the summary attributes are only
 * checked against them (junit-totals.ts). A `<failure>`/`<error>` directly inside a `<testsuite>` (a
 * crashed fork, a failing hook) becomes a case named after the suite. Stored text is capped and
 * shared strings interned so that memory stays proportional to the number of cases.
 */
import type { SaxesTagPlain } from 'saxes';
import { createXmlReader } from './xml-stream.js';
import { MalformedEvidence, type ChunkParser } from './result.js';
import { checkSuiteTotals, readDeclaredTotals, type SuiteScope } from './junit-totals.js';
import { CaseList } from './case-list.js';
import { capDetails, capText, firstLine, MAX_NAME_CHARS, ownString } from './test-counts.js';
import type { TestCase, TestReport, TestStatus } from './types.js';

/** Messages and details of failing cases stop being stored past this many characters in one report… */
const TEXT_BUDGET_CHARS = 8 * 1024 * 1024;
/** …or this many cases (each kept whole: results.json lists at most 1,000 failures per phase anyway). */
const MAX_CASES_WITH_TEXT = 10_000;

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
const NODE_CLASSNAME = 'test';

/** node's junit reporter escapes `"` twice (`&amp;quot;`): undone for its cases only (classname `test`). */
function undoNodeQuotes(text: string): string {
  return text.includes('&quot;') ? text.replaceAll('&quot;', '"') : text;
}

interface OpenCase {
  readonly name: string;
  readonly classname: string;
  readonly file?: string;
  readonly durationMs: number;
  /** Classname, or the suite path when the classname names nothing (see `suiteOf`). */
  readonly suite: string;
  outcome?: 'failure' | 'error' | 'skipped';
  outcomeMessage?: string;
  readonly detailParts: string[];
  /** Set when the case held something no JUnit writer produces: counted as an error, never a pass. */
  damage?: string;
  /** The tool counted it as a failure too (node's failing todo: `<skipped>` and `<failure>`). */
  sawFailure?: boolean;
  /** A `<failure>`/`<error>` straight inside a suite: the case ends with that element. */
  readonly suiteLevel?: boolean;
}

export function createJunitParser(): ChunkParser<TestReport> {
  const xml = createXmlReader();
  const { sax } = xml;
  const cases = new CaseList();
  const warnings: string[] = [];
  const alsoFailed = new Set<TestCase>();
  const scopes: (SuiteScope & { readonly name: string; readonly file?: string; readonly suite: boolean })[] = [];
  const shared = new Map<string, string>();
  const textBudget = { left: TEXT_BUDGET_CHARS, cases: MAX_CASES_WITH_TEXT, dropped: 0 };
  let root: string | undefined;
  let current: OpenCase | undefined;
  /** Name of the direct child of <testcase> we are inside, and how deep below it. */
  let child: { name: string; depth: number; text: string } | undefined;

  /**
   * Suite names, classnames and files repeat across thousands of cases: keep one copy of each. The key
   * is that copy too: `text` may be a slice of a whole chunk of the file, which it would keep alive.
   */
  const intern = (text: string): string => {
    const known = shared.get(text);
    if (known !== undefined) return known;
    const own = capText(ownString(text), MAX_NAME_CHARS);
    if (shared.size < 100_000 && own.length === text.length) shared.set(own, own);
    return own;
  };
  const suiteNames = () => scopes.filter((s) => s.suite && s.name !== '').map((s) => s.name);
  /** `suite` of a case: its classname, or the enclosing suites (`a > b`) when the classname names nothing. */
  const suiteOf = (classname: string, name: string, path: () => readonly string[]): string =>
    MEANINGLESS_CLASSNAMES.has(classname) || classname === name ? intern(path().join(' > ')) : classname;
  const innermostFile = () => scopes.at(-1)?.file;

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
    if (tag.name === 'testsuite' || (tag.name === 'testsuites' && scopes.length === 0)) {
      const name = intern(attr(tag, 'name'));
      const label =
        tag.name === 'testsuites' || name === '' ? `the <${tag.name}> element` : `suite "${capText(name, 200)}"`;
      const file = optionalAttr(tag, 'file');
      scopes.push({
        name,
        label,
        suite: tag.name === 'testsuite',
        file: file === undefined ? innermostFile() : intern(file),
        declared: readDeclaredTotals(label, tag.attributes),
        start: cases.length,
        isRoot: scopes.length === 0,
      });
    } else if (tag.name === 'testcase') {
      const file = optionalAttr(tag, 'file');
      const name = capText(ownString(attr(tag, 'name')), MAX_NAME_CHARS);
      const classname = intern(attr(tag, 'classname'));
      current = {
        name,
        classname,
        file: file === undefined ? innermostFile() : intern(file),
        durationMs: secondsToMs(attr(tag, 'time')),
        suite: suiteOf(classname, name, suiteNames),
        detailParts: [],
      };
    } else if ((tag.name === 'failure' || tag.name === 'error') && scopes.length > 0) {
      const names = suiteNames();
      current = {
        name: names.at(-1) ?? 'testsuites',
        classname: '',
        file: innermostFile(),
        durationMs: 0,
        suite: suiteOf('', names.at(-1) ?? 'testsuites', () => names.slice(0, -1)),
        detailParts: [],
        suiteLevel: true,
      };
      openInsideCase(current, tag);
    }
  });

  function openInsideCase(c: OpenCase, tag: SaxesTagPlain): void {
    if (tag.name === 'property' && isSkipProperty(tag)) {
      // tap's JUnit reporter marks t.skip()/t.todo() with <property name="skip|todo" value="…"> only.
      c.outcome = strongerOutcome(c.outcome, 'skipped');
      const reason = optionalAttr(tag, 'value');
      if (c.outcome === 'skipped' && reason !== undefined && reason !== 'true') c.outcomeMessage = reason;
    }
    if (child !== undefined) {
      child.depth++;
      return;
    }
    child = { name: tag.name, depth: 0, text: '' };
    if (OUTCOME_ELEMENTS.has(tag.name)) {
      const outcome = tag.name as 'failure' | 'error' | 'skipped';
      if (outcome !== 'skipped') c.sawFailure = true;
      c.outcome = strongerOutcome(c.outcome, outcome);
      if (c.outcome === outcome) c.outcomeMessage = optionalAttr(tag, 'message') ?? c.outcomeMessage;
    } else if (!OUTPUT_ELEMENTS.has(tag.name) && !NEUTRAL_ELEMENTS.has(tag.name)) {
      c.damage = `unexpected <${capText(tag.name, 60)}> inside <testcase> — the report may be damaged`;
    }
  }

  const onText = (text: string): void => {
    if (current === undefined) return;
    if (child !== undefined) {
      // Only what could be stored is kept (the reader already cut the middle of very long runs).
      if (child.text.length < MAX_NAME_CHARS * 4) child.text += text;
    } else if (text.trim() !== '') current.damage = 'unexpected text inside <testcase> — the report may be damaged';
  };
  sax.on('text', onText);
  sax.on('cdata', onText);

  function closeCase(c: OpenCase): void {
    const done = finishCase(c, textBudget);
    const countedAsFailure = done.status === 'skipped' && c.sawFailure === true;
    cases.push(done, countedAsFailure);
    if (countedAsFailure) alsoFailed.add(done);
    current = undefined;
  }

  sax.on('closetag', (tag) => {
    if (current !== undefined) {
      if (child !== undefined) {
        if (child.depth > 0) {
          child.depth--;
          return;
        }
        if (OUTCOME_ELEMENTS.has(child.name) || OUTPUT_ELEMENTS.has(child.name)) current.detailParts.push(child.text);
        child = undefined;
        if (current.suiteLevel) closeCase(current);
        return;
      }
      if (tag.name === 'testcase') closeCase(current);
      return;
    }
    if (tag.name === 'testsuite' || (tag.name === 'testsuites' && scopes.length === 1)) {
      checkSuiteTotals(scopes.pop()!, cases, alsoFailed, warnings);
    }
  });

  return {
    write(chunk) {
      xml.write(chunk);
    },
    end() {
      xml.close();
      if (root === undefined) throw new MalformedEvidence('no XML element found');
      if (textBudget.dropped > 0) {
        warnings.push(
          `messages and details of ${textBudget.dropped} failing cases were not kept: a report keeps the text of at most ${MAX_CASES_WITH_TEXT} failing cases and ${TEXT_BUDGET_CHARS / 1024 / 1024} MiB`,
        );
      }
      return { format: 'junit', cases, counts: cases.counts(), ...(warnings.length > 0 ? { warnings } : {}) };
    },
  };
}

function finishCase(c: OpenCase, budget: { left: number; cases: number; dropped: number }): TestCase {
  const status: TestStatus = c.damage !== undefined ? 'error' : outcomeStatus(c.outcome);
  const { suite } = c;
  const node = c.classname === NODE_CLASSNAME;
  const name = node ? undoNodeQuotes(c.name) : c.name;
  // Plain literals, not spreads: one compact shape for the (up to millions of) passing cases.
  const base: TestCase =
    c.file === undefined
      ? { suite, name, status, durationMs: c.durationMs }
      : { suite, name, status, durationMs: c.durationMs, file: c.file };
  if (status === 'passed') return base;
  if (budget.left <= 0 || budget.cases <= 0) {
    budget.dropped++;
    return c.damage === undefined ? base : { ...base, message: c.damage };
  }
  const details = capDetails(c.detailParts.join('\n'));
  const text = c.damage ?? firstLine(c.outcomeMessage) ?? firstLine(details);
  const message = node && text !== undefined ? undoNodeQuotes(text) : text;
  budget.left -= (details?.length ?? 0) + (message?.length ?? 0);
  budget.cases--;
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
function isSkipProperty(tag: SaxesTagPlain): boolean {
  const name = optionalAttr(tag, 'name');
  const value = optionalAttr(tag, 'value');
  return (name === 'skip' || name === 'todo') && value !== undefined && value !== 'false' && value !== '';
}

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
