/**
 * TAP 13/14 (node-tap, node --test, Perl's Test::More as read by prove), line by line. Subtests are
 * indented 4 spaces per level and end with their parent's test point; the leaves become test cases,
 * named by their subtest path. Whatever the stream says went wrong without a failing leaf (a plan
 * that does not match, `Bail out!`, a failing parent whose children all passed, a subtest that never
 * ended) becomes a case with status `error`, so it can never read as a pass.
 */
import { LineSplitter } from '../text/line-splitter.js';
import { MalformedEvidence, type ChunkParser } from './result.js';
import { classifyTapLine, readDiagnostics, type TapPoint } from './tap-line.js';
import { CaseList } from './case-list.js';
import { capDetails, capText, MAX_MESSAGE_CHARS, MAX_NAME_CHARS } from './test-counts.js';
import type { TestCase, TestReport } from './types.js';

interface Point extends TapPoint {
  yaml?: string[];
  child?: Level;
}

interface Level {
  /** From `# Subtest: name` in the parent. */
  readonly name?: string;
  plan?: { readonly count: number; readonly skipReason?: string };
  readonly points: Point[];
  readonly problems: string[];
  /** The announced name for the next child level. */
  subtestName?: string;
  /** A child level that ended and waits for the parent's test point. */
  pendingChild?: Level;
  readonly orphans: Level[];
}

const newLevel = (name?: string): Level => ({
  ...(name === undefined ? {} : { name }),
  points: [],
  problems: [],
  orphans: [],
});

/** Files that a runner reports as top-level subtests (node-tap runs one subtest per test file). */
const LOOKS_LIKE_FILE = /\.(?:[cm]?[jt]sx?|t|py|rb|go|sh)$/;

export function createTapParser(): ChunkParser<TestReport> {
  const levels: Level[] = [newLevel()];
  let yaml: { indent: string; lines: string[]; point: Point } | undefined;
  let lastPoint: { point: Point; indent: number } | undefined;
  let bail: string | undefined;
  /** Set on a bare `not` line: the point right after it is that failing point, split in two. */
  let brokenNot: number | undefined;
  let sawTap = false;

  function ensureDepth(depth: number): Level {
    while (levels.length - 1 < depth) {
      const parent = levels.at(-1)!;
      levels.push(newLevel(parent.subtestName));
      parent.subtestName = undefined;
    }
    closeTo(depth);
    return levels[depth]!;
  }

  function closeTo(depth: number): void {
    while (levels.length - 1 > depth) {
      const child = levels.pop()!;
      const parent = levels.at(-1)!;
      if (parent.pendingChild !== undefined) parent.orphans.push(parent.pendingChild);
      parent.pendingChild = child;
    }
  }

  function line(raw: string): void {
    if (bail !== undefined) return;
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (yaml !== undefined) {
      if (text.trimEnd() === `${yaml.indent}...`) {
        yaml.point.yaml = yaml.lines;
        yaml = undefined;
      } else yaml.lines.push(text);
      return;
    }
    const indent = text.length - text.trimStart().length;
    const content = text.slice(indent).trimEnd();
    const previous = lastPoint;
    lastPoint = undefined;
    if (content === '') return;
    if (
      previous !== undefined &&
      content === '---' &&
      indent === previous.indent + 2 &&
      text.startsWith(' '.repeat(indent))
    ) {
      yaml = { indent: ' '.repeat(indent), lines: [], point: previous.point };
      return;
    }
    // Indentation that is not whole levels of spaces is not TAP structure: program output, ignored.
    if (indent % 4 !== 0 || !text.startsWith(' '.repeat(indent))) return;
    const depth = indent / 4;
    const parsed = classifyTapLine(content);
    // The cut puts the rest of the line at column 0, whatever the depth of the `not`.
    const splitFailure = brokenNot !== undefined;
    brokenNot = undefined;
    switch (parsed.kind) {
      case 'point': {
        sawTap = true;
        const level = ensureDepth(depth);
        const point: Point = { ...parsed.point, ...(splitFailure ? { ok: false } : {}) };
        level.subtestName = undefined;
        if (level.pendingChild !== undefined) {
          point.child = level.pendingChild;
          level.pendingChild = undefined;
        }
        const expected = level.points.length + 1;
        if (point.number !== undefined && point.number !== expected) {
          level.problems.push(`test point ${point.number} is out of sequence (expected ${expected})`);
        }
        level.points.push(point);
        lastPoint = { point, indent };
        return;
      }
      case 'plan': {
        sawTap = true;
        const level = ensureDepth(depth);
        if (level.plan !== undefined) level.problems.push(`a second plan 1..${parsed.count}`);
        else
          level.plan =
            parsed.skipReason === undefined
              ? { count: parsed.count }
              : { count: parsed.count, skipReason: parsed.skipReason };
        return;
      }
      case 'subtest':
        ensureDepth(depth).subtestName = parsed.name;
        return;
      case 'bail':
        sawTap = true;
        bail = parsed.reason;
        return;
      case 'broken':
        ensureDepth(depth).problems.push(parsed.reason);
        brokenNot = depth;
        return;
      case 'version':
        sawTap = true;
        return;
      default:
        return;
    }
  }

  const lines = new LineSplitter(line);
  return {
    write: (chunk) => lines.write(chunk),
    end() {
      const carry = lines.end();
      if (carry.trim() !== '') {
        // Every TAP producer ends its lines: a last test point or plan without a line end was cut
        // short, and is not counted (`ok 1 - na` may have been `not ok 1 - name`, `1..1` may be `1..12`).
        const kind = classifyTapLine(carry.trim()).kind;
        if (kind === 'point' || kind === 'plan') {
          levels[0]!.problems.push(
            `the last line ${JSON.stringify(carry.trim().slice(0, 60))} has no line end: the output was cut short`,
          );
        } else line(carry);
      }
      if (!sawTap) throw new MalformedEvidence('no TAP test points, plan or version line found');
      if (yaml !== undefined) levels.at(-1)!.problems.push('a YAML diagnostics block is not closed with "..."');
      closeTo(0);
      const root = levels[0]!;
      if (root.pendingChild !== undefined) root.orphans.push(root.pendingChild);
      const cases: TestCase[] = [];
      collect(root, [], cases, bail !== undefined);
      if (bail !== undefined) cases.push(errorCase([], 'Bail out!', `Bail out! ${bail}`.trim()));
      const list = CaseList.of(cases);
      return { format: 'tap', cases: list, counts: list.counts() };
    },
  };
}

function collect(level: Level, path: readonly string[], out: TestCase[], bailed: boolean): void {
  for (const point of level.points) {
    const name = point.description || point.child?.name || `#${point.number ?? level.points.indexOf(point) + 1}`;
    const diagnostics = readDiagnostics(point.yaml ?? []);
    const durationMs = point.durationMs ?? diagnostics.durationMs ?? 0;
    const child = point.child;
    if (child !== undefined && (child.points.length > 0 || child.problems.length > 0 || child.orphans.length > 0)) {
      const before = out.length;
      collect(child, [...path, name], out, bailed);
      const childFailed = out.slice(before).some((c) => c.status === 'failed' || c.status === 'error');
      if (!point.ok && point.directive === undefined && !childFailed) {
        out.push(leaf(point, path, name, durationMs, diagnostics.message, fileOf(path, name)));
      }
      continue;
    }
    out.push(leaf(point, path, name, durationMs, diagnostics.message, fileOf(path, name)));
  }
  const suite = path.join(' > ');
  for (const problem of level.problems) out.push(errorCase(path, 'TAP stream', problem));
  for (const orphan of level.orphans) {
    const orphanName = orphan.name ?? 'subtest';
    collect(orphan, [...path, orphanName], out, bailed);
    out.push(
      errorCase(path, orphanName, `subtest "${orphanName}" never ended with a test point: the output was cut short?`),
    );
  }
  if (bailed) return;
  if (level.plan === undefined) {
    out.push(
      errorCase(
        path,
        'TAP plan',
        `no plan (1..N)${suite ? ` in ${suite}` : ''}: the output was cut short or the test exited early`,
      ),
    );
  } else if (level.plan.count !== level.points.length) {
    out.push(
      errorCase(
        path,
        'TAP plan',
        `planned ${level.plan.count} tests but saw ${level.points.length}${suite ? ` in ${suite}` : ''}`,
      ),
    );
  }
}

function leaf(
  point: Point,
  path: readonly string[],
  name: string,
  durationMs: number,
  message: string | undefined,
  file: string | undefined,
): TestCase {
  const status = point.directive !== undefined ? 'skipped' : point.ok ? 'passed' : 'failed';
  const base = {
    suite: path.join(' > '),
    name: capText(name, MAX_NAME_CHARS),
    status,
    durationMs,
    ...(file === undefined ? {} : { file }),
  } as const;
  if (status === 'passed') return base;
  const directiveMessage =
    point.directive === undefined
      ? undefined
      : `${point.directive.kind.toUpperCase()} ${point.directive.reason}`.trim();
  const details = status === 'failed' ? capDetails((point.yaml ?? []).join('\n')) : undefined;
  const full = directiveMessage ?? message;
  const text = full === undefined ? undefined : capText(full, MAX_MESSAGE_CHARS);
  return { ...base, ...(text === undefined ? {} : { message: text }), ...(details === undefined ? {} : { details }) };
}

function fileOf(path: readonly string[], name: string): string | undefined {
  const top = path[0] ?? name;
  return LOOKS_LIKE_FILE.test(top) ? top : undefined;
}

function errorCase(path: readonly string[], name: string, message: string): TestCase {
  return { suite: path.join(' > '), name, status: 'error', durationMs: 0, message };
}
