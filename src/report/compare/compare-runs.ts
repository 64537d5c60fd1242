/**
 * What changed between two runs of a plan: tests that started or stopped failing, tests added and
 * removed, flaky ones, coverage and duration deltas, gates and criteria whose status changed. Pure:
 * the runs are results.json values; `history` (older runs of the plan, oldest first) finds verdicts
 * that flip back and forth.
 */
import { testLabel } from '../../evidence/format.js';
import type { BaselineComparison, PhaseResult, RunResults } from '../results.js';

/** Entries each list keeps in results.json; the counts are whole. */
export const MAX_LISTED = 200;
/** Runs (the current one included) in which flipping verdicts are looked for. */
export const FLAKY_WINDOW = 5;

type Outcome = 'pass' | 'fail' | 'skip';
interface TestState {
  readonly phase: string;
  readonly test: string;
  readonly outcome: Outcome;
  readonly message?: string;
}

const outcomeOf = (status: string): Outcome => (status === 'passed' ? 'pass' : status === 'skipped' ? 'skip' : 'fail');

interface TestStates {
  readonly tests: Map<string, TestState>;
  readonly partial: Set<string>;
}
/** Each run's states are built once per comparison run (the current one and the baseline are in the flaky window too). */
const statesOf = new WeakMap<RunResults, TestStates>();

/** Every listed test of a run by `phase \0 label`, and the phases that list only their failures. */
function testStates(run: RunResults): TestStates {
  const known = statesOf.get(run);
  if (known) return known;
  const tests = new Map<string, TestState>();
  const partial = new Set<string>();
  for (const phase of run.phases) {
    if (phase.unlisted) partial.add(phase.name);
    for (const c of phase.tests) {
      const test = testLabel(c);
      tests.set(`${phase.name}\0${test}`, {
        phase: phase.name,
        test,
        outcome: outcomeOf(c.status),
        ...(c.message ? { message: c.message } : {}),
      });
    }
  }
  statesOf.set(run, { tests, partial });
  return { tests, partial };
}

function listed(states: readonly TestState[]): BaselineComparison['newFailures'] {
  return {
    count: states.length,
    listed: states.slice(0, MAX_LISTED).map(({ phase, test, message }) => ({
      phase,
      test,
      ...(message ? { message: message.split('\n')[0]!.slice(0, 300) } : {}),
    })),
  };
}

export interface CompareOptions {
  readonly chosenBy: string;
  /** Earlier runs of the plan, oldest first, for verdicts that flip; the baseline may be among them. */
  readonly history?: readonly RunResults[];
}

export function compareRuns(current: RunResults, baseline: RunResults, options: CompareOptions): BaselineComparison {
  const now = testStates(current);
  const before = testStates(baseline);
  const partial = new Set([...now.partial, ...before.partial]);
  const newFailures: TestState[] = [];
  const fixed: TestState[] = [];
  const added: TestState[] = [];
  const removed: TestState[] = [];
  for (const [key, state] of now.tests) {
    const old = before.tests.get(key);
    if (state.outcome === 'fail' && old?.outcome !== 'fail') newFailures.push(state);
    if (old === undefined && !partial.has(state.phase) && before.tests.size > 0 && phaseRan(baseline, state.phase))
      added.push(state);
    else if (old?.outcome === 'fail' && state.outcome === 'pass') fixed.push(state);
  }
  for (const [key, old] of before.tests) {
    if (now.tests.has(key) || !phaseRan(current, old.phase)) continue;
    // A phase that lists only failures: a failure gone from the list passed (or was removed).
    if (!partial.has(old.phase)) removed.push(old);
    else if (old.outcome === 'fail') fixed.push({ ...old, outcome: 'pass' });
  }
  const notes = [...partial].map(
    (p) =>
      `phase ${p} lists only its failures in one of the runs (more than 10,000 tests): tests added or removed there are not compared, and a failure gone from the list may be removed rather than fixed`,
  );
  if (baseline.plan.name !== current.plan.name)
    notes.push(`the runs are of different plans: ${baseline.plan.name} and ${current.plan.name}`);
  return {
    runId: baseline.runId,
    startedAt: baseline.startedAt,
    plan: baseline.plan.name,
    ...(baseline.git ? { git: baseline.git } : {}),
    chosenBy: options.chosenBy,
    newFailures: listed(newFailures),
    fixed: listed(fixed),
    added: listed(added),
    removed: listed(removed),
    flaky: flakyTests(current, [...(options.history ?? []), current]),
    ...coverageDelta(current, baseline),
    durations: durationDeltas(current, baseline),
    statusChanges: statusChanges(current, baseline),
    notes,
  };
}

/** A phase that ran and read its results: only then can its tests have gone missing. */
function phaseRan(run: RunResults, phase: string): boolean {
  const p = run.phases.find((x) => x.name === phase);
  return p !== undefined && p.counts !== undefined;
}

/**
 * Flaky: a phase that passed only after a retry (its earlier attempts' results are not kept, so the
 * phase is named, not the test), and tests whose outcome changed at least twice within the last
 * FLAKY_WINDOW runs (pass → fail → pass, or the reverse); one change is a new failure or a fix.
 */
function flakyTests(current: RunResults, runs: readonly RunResults[]): BaselineComparison['flaky'] {
  const retried = current.phases
    .filter((p: PhaseResult) => p.status === 'passed' && p.attempts.length > 1)
    .map((p) => ({ phase: p.name, attempts: p.attempts.length }));
  const window = runs.slice(-FLAKY_WINDOW);
  const sequences = new Map<string, { phase: string; test: string; outcomes: Outcome[] }>();
  for (const run of window) {
    for (const [key, state] of testStates(run).tests) {
      if (state.outcome === 'skip') continue;
      const seq = sequences.get(key) ?? { phase: state.phase, test: state.test, outcomes: [] };
      seq.outcomes.push(state.outcome);
      sequences.set(key, seq);
    }
  }
  const flipping = [...sequences.values()]
    .filter((s) => s.outcomes.slice(1).filter((o, i) => o !== s.outcomes[i]).length >= 2)
    .map((s) => ({
      phase: s.phase,
      test: s.test,
      outcomes: s.outcomes.map((o) => (o === 'pass' ? '✓' : '✗')).join(''),
    }));
  return { window: window.length, retried, flipping: flipping.slice(0, MAX_LISTED), flippingCount: flipping.length };
}

const pct = (covered: number, total: number): number | null =>
  total === 0 ? null : Math.floor((covered * 10_000) / total) / 100;
const delta = (a: number | null, b: number | null): number | null =>
  a === null || b === null ? null : Math.round((b - a) * 100) / 100;

function coverageDelta(current: RunResults, baseline: RunResults): Pick<BaselineComparison, 'coverage'> {
  if (current.coverage === undefined && baseline.coverage === undefined) return {};
  const lineBefore = baseline.coverage ? pct(baseline.coverage.lines.covered, baseline.coverage.lines.total) : null;
  const lineAfter = current.coverage ? pct(current.coverage.lines.covered, current.coverage.lines.total) : null;
  const beforeFiles = new Map((baseline.coverageFiles ?? []).map((f) => [f.path, pct(f.covered, f.total)]));
  const afterFiles = new Map((current.coverageFiles ?? []).map((f) => [f.path, pct(f.covered, f.total)]));
  const files = [...new Set([...beforeFiles.keys(), ...afterFiles.keys()])]
    .map((path) => {
      const before = beforeFiles.get(path) ?? null;
      const after = afterFiles.get(path) ?? null;
      return { path, before, after, delta: delta(before, after) };
    })
    .filter((f) => f.delta !== 0)
    // Biggest drops first; files that appeared or vanished after the drops.
    .sort(
      (a, b) =>
        (a.delta ?? Number.POSITIVE_INFINITY) - (b.delta ?? Number.POSITIVE_INFINITY) || a.path.localeCompare(b.path),
    );
  return {
    coverage: {
      lines: { path: '(all files)', before: lineBefore, after: lineAfter, delta: delta(lineBefore, lineAfter) },
      files: files.slice(0, MAX_LISTED),
      changedFiles: files.length,
    },
  };
}

/** Phases in both runs that ran, slowest regressions first. */
function durationDeltas(current: RunResults, baseline: RunResults): BaselineComparison['durations'] {
  const before = new Map(baseline.phases.filter((p) => p.attempts.length > 0).map((p) => [p.name, p.durationMs]));
  return current.phases
    .filter((p) => p.attempts.length > 0 && before.has(p.name))
    .map((p) => ({
      phase: p.name,
      beforeMs: before.get(p.name)!,
      afterMs: p.durationMs,
      deltaMs: p.durationMs - before.get(p.name)!,
    }))
    .sort((a, b) => b.deltaMs - a.deltaMs || a.phase.localeCompare(b.phase))
    .slice(0, MAX_LISTED);
}

function statusChanges(current: RunResults, baseline: RunResults): BaselineComparison['statusChanges'] {
  const changes: BaselineComparison['statusChanges'][number][] = [];
  const diff = (kind: 'gate' | 'criterion', a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): void => {
    for (const name of new Set([...a.keys(), ...b.keys()])) {
      const was = a.get(name) ?? 'absent';
      const is = b.get(name) ?? 'absent';
      if (was !== is) changes.push({ kind, name, before: was, after: is });
    }
  };
  diff(
    'gate',
    new Map(baseline.gates.map((g) => [g.name, g.status])),
    new Map(current.gates.map((g) => [g.name, g.status])),
  );
  diff(
    'criterion',
    new Map(baseline.acceptance.map((c) => [c.id, c.status])),
    new Map(current.acceptance.map((c) => [c.id, c.status])),
  );
  return changes.slice(0, MAX_LISTED);
}
