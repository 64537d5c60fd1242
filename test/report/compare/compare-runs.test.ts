import t from 'tap';
import { compareRuns, FLAKY_WINDOW, MAX_LISTED } from '../../../src/report/compare/compare-runs.js';
import { comparisonSection, SHOWN } from '../../../src/report/compare/render-comparison.js';
import type { RunResults } from '../../../src/report/results.js';
import { loadFixture, mutableCopy, type Mutable } from '../fixtures.js';

type Run = Mutable<RunResults>;
const base = (): Run => mutableCopy(loadFixture('passing'));
const setStatus = (run: Run, phase: string, name: string, status: 'passed' | 'failed') => {
  const test = run.phases.find((p) => p.name === phase)!.tests.find((c) => c.name === name)!;
  test.status = status;
  if (status === 'failed') test.message = 'expected 1, got 2';
};
const first = (run: Run) => run.phases[0]!.tests[0]!.name;

t.test('a run compared with itself: nothing changed', async (t) => {
  const run = base();
  const c = compareRuns(run, run, { chosenBy: 'x' });
  t.match(c, {
    newFailures: { count: 0 },
    fixed: { count: 0 },
    added: { count: 0 },
    removed: { count: 0 },
    flaky: { retried: [], flippingCount: 0 },
    statusChanges: [],
  });
  t.same(c.coverage?.lines.delta, 0);
});

t.test('new failures, fixes, added and removed tests, status changes, duration deltas', async (t) => {
  const before = base();
  const after = base();
  const name = first(after);
  setStatus(after, 'unit', name, 'failed');
  after.phases[0]!.tests.push({ suite: 's', name: 'brand new', status: 'passed', durationMs: 1 });
  const gone = after.phases[1]!.tests.pop()!;
  after.gates[0]!.status = 'fail';
  after.phases[1]!.durationMs += 5000;
  after.phases[0]!.durationMs -= 100;
  const c = compareRuns(after, before, { chosenBy: 'x' });
  t.match(c.newFailures, { count: 1, listed: [{ phase: 'unit', message: 'expected 1, got 2' }] });
  t.match(c.added.listed, [{ phase: 'unit', test: /brand new/ }]);
  t.match(c.removed.listed, [{ phase: 'integration', test: new RegExp(gone.name) }]);
  t.match(c.statusChanges, [{ kind: 'gate', name: after.gates[0]!.name, before: 'pass', after: 'fail' }]);
  t.same(
    c.durations.map((d) => d.phase),
    ['integration', 'unit'],
    'slowest regressions first',
  );
  const back = compareRuns(before, after, { chosenBy: 'x' });
  t.equal(back.fixed.count, 1);
  t.equal(back.newFailures.count, 0);
});

t.test('coverage per file, biggest drops first', async (t) => {
  const before = base();
  before.coverageFiles = [
    { path: 'a.ts', covered: 9, total: 10 },
    { path: 'b.ts', covered: 5, total: 10 },
    { path: 'same.ts', covered: 1, total: 2 },
    { path: 'gone.ts', covered: 1, total: 1 },
  ];
  const after = base();
  after.coverageFiles = [
    { path: 'a.ts', covered: 5, total: 10 },
    { path: 'b.ts', covered: 4, total: 10 },
    { path: 'same.ts', covered: 1, total: 2 },
    { path: 'new.ts', covered: 0, total: 3 },
  ];
  const c = compareRuns(after, before, { chosenBy: 'x' });
  t.same(
    c.coverage!.files.map((f) => [f.path, f.delta]),
    [
      ['a.ts', -40],
      ['b.ts', -10],
      ['gone.ts', null],
      ['new.ts', null],
    ],
  );
});

t.test('flaky: a phase that passed on a retry, and tests whose outcome flips twice in the window', async (t) => {
  const runs = Array.from({ length: FLAKY_WINDOW + 2 }, base);
  const name = first(runs[0]!);
  // pass, fail, pass in the last runs: flaky. A single change (a fix) is not.
  setStatus(runs.at(-3)!, 'unit', name, 'failed');
  const second = runs[0]!.phases[0]!.tests[1]!.name;
  setStatus(runs.at(-2)!, 'unit', second, 'failed');
  setStatus(runs.at(-1)!, 'unit', second, 'failed');
  const current = runs.at(-1)!;
  current.phases[1]!.attempts.push({ attempt: 2, exitCode: 0, timedOut: false, durationMs: 1 });
  const c = compareRuns(current, runs.at(-2)!, { chosenBy: 'x', history: runs.slice(0, -1) });
  t.equal(c.flaky.window, FLAKY_WINDOW);
  t.match(c.flaky.flipping, [{ phase: 'unit', outcomes: '✓✓✗✓✓' }]);
  t.equal(c.flaky.flippingCount, 1);
  t.same(c.flaky.retried, [{ phase: 'integration', attempts: 2 }]);
  // Flips older than the window do not count.
  const old = compareRuns(current, runs.at(-2)!, { chosenBy: 'x', history: runs.slice(0, 2) });
  t.equal(old.flaky.flippingCount, 0);
});

t.test('a phase that lists only its failures: added/removed not compared, said so', async (t) => {
  const before = base();
  const after = base();
  after.phases[0]!.tests = after.phases[0]!.tests.slice(0, 1);
  after.phases[0]!.unlisted = { total: 37, passed: 36, failed: 0, errored: 0, skipped: 1 };
  const c = compareRuns(after, before, { chosenBy: 'x' });
  t.equal(c.removed.count, 0);
  t.match(c.notes, [/phase unit lists only its failures/]);
});

t.test('at scale: lists capped in results.json and in the report, counts whole', async (t) => {
  const before = base();
  const after = base();
  for (let i = 0; i < MAX_LISTED + 50; i++)
    after.phases[0]!.tests.push({ suite: 's', name: `new ${i}`, status: 'failed', durationMs: 1, message: 'x' });
  const c = compareRuns(after, before, { chosenBy: 'x' });
  t.equal(c.newFailures.count, MAX_LISTED + 50);
  t.equal(c.newFailures.listed.length, MAX_LISTED);
  const md = comparisonSection(c);
  t.match(md, new RegExp(`\\*\\*New failures\\*\\* \\(${MAX_LISTED + 50}\\)`));
  t.match(md, new RegExp(`… and ${MAX_LISTED + 50 - SHOWN} more`));
  t.ok(md.split('\n').length < 120, 'the section stays short');
});

t.test('runs of different plans are compared with a note', async (t) => {
  const other = base();
  other.plan.name = 'another';
  t.match(compareRuns(base(), other, { chosenBy: 'x' }).notes, [/different plans: another and/]);
});
