/** Choosing the baseline among stored runs, and surviving hostile ones (huge, truncated, invalid, other plan). */
import t from 'tap';
import { mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { attachBaseline, readStoredResults } from '../../src/run/baseline.js';
import { MAX_RESULTS_BYTES } from '../../src/run/stored-runs.js';
import { serializeResults } from '../../src/report/write-reports.js';
import type { RunResults } from '../../src/report/results.js';
import { loadFixture, mutableCopy } from '../report/fixtures.js';
import { tempDir } from '../helpers/temp-dir.js';

function store(runsDir: string, id: string, over: (r: ReturnType<typeof mutableCopy>) => void = () => {}): string {
  const run = mutableCopy(loadFixture('passing'));
  run.runId = id;
  over(run);
  mkdirSync(path.join(runsDir, id), { recursive: true });
  const file = path.join(runsDir, id, 'results.json');
  writeFileSync(file, serializeResults(run as RunResults));
  return file;
}

const current = (startedAt: string, branch = 'main'): RunResults => {
  const run = mutableCopy(loadFixture('failing'));
  run.plan.name = loadFixture('passing').plan.name;
  run.runId = 'now';
  run.startedAt = startedAt;
  run.git = { commit: 'c'.repeat(40), dirty: false, branch };
  return run as RunResults;
};

t.test(
  'default: the latest earlier run of the plan on the same branch; other plans and branches are not it',
  async (t) => {
    const runs = tempDir('baseline-runs');
    store(runs, 'old', (r) => {
      r.startedAt = '2026-01-01T00:00:00.000Z';
      r.git = { commit: 'a'.repeat(40), dirty: false, branch: 'main' };
    });
    store(runs, 'newer', (r) => {
      r.startedAt = '2026-01-02T00:00:00.000Z';
      r.git = { commit: 'b'.repeat(40), dirty: false, branch: 'main' };
    });
    store(runs, 'other-branch', (r) => {
      r.startedAt = '2026-01-03T00:00:00.000Z';
      r.git = { commit: 'b'.repeat(40), dirty: false, branch: 'topic' };
    });
    store(runs, 'other-plan', (r) => {
      r.startedAt = '2026-01-04T00:00:00.000Z';
      r.plan.name = 'another';
      r.git = { commit: 'b'.repeat(40), dirty: false, branch: 'main' };
    });
    const out = path.join(runs, 'now');
    const res = await attachBaseline(current('2026-01-05T00:00:00.000Z'), {
      choice: undefined,
      outDir: out,
      cwd: runs,
    });
    t.equal(res.baseline?.runId, 'newer');
    t.equal(res.warnings, undefined);
    const none = await attachBaseline(current('2026-01-05T00:00:00.000Z', 'elsewhere'), {
      choice: undefined,
      outDir: out,
      cwd: runs,
    });
    t.equal(none.baseline, undefined, 'first run on a branch: nothing to compare, no warning');
    t.equal(none.warnings, undefined);
    const off = await attachBaseline(current('2026-01-05T00:00:00.000Z'), { choice: false, outDir: out, cwd: runs });
    t.equal(off.baseline, undefined);
    // A git ref names the latest stored run of its commit.
    const byRef = await attachBaseline(current('2026-01-05T00:00:00.000Z'), {
      choice: 'v1',
      outDir: out,
      cwd: runs,
      resolveRef: async () => 'a'.repeat(40),
    });
    t.equal(byRef.baseline?.runId, 'old');
    const byId = await attachBaseline(current('2026-01-05T00:00:00.000Z'), { choice: 'old', outDir: out, cwd: runs });
    t.equal(byId.baseline?.runId, 'old');
    const otherPlan = await attachBaseline(current('2026-01-05T00:00:00.000Z'), {
      choice: 'other-plan',
      outDir: out,
      cwd: runs,
    });
    t.equal(otherPlan.baseline, undefined);
    t.match(otherPlan.warnings, [/baseline: .* is a run of plan another, not .*: not compared/]);
  },
);

t.test('hostile stored runs: huge, truncated, schema-invalid → warnings, never a throw', async (t) => {
  const runs = tempDir('baseline-hostile');
  const huge = store(runs, 'huge');
  truncateSync(huge, MAX_RESULTS_BYTES + 1); // sparse: no disk, but too big to read
  const cut = store(runs, 'cut');
  writeFileSync(cut, '{"version": 1, "plan": {"na');
  const invalid = store(runs, 'invalid');
  writeFileSync(invalid, JSON.stringify({ version: 1, plan: 'x' }));
  const out = path.join(runs, 'now');
  const res = await attachBaseline(current('2026-01-05T00:00:00.000Z'), { choice: undefined, outDir: out, cwd: runs });
  t.equal(res.baseline, undefined);
  t.match(res.warnings, [
    /baseline: no earlier run to compare with; 3 stored runs in .* could not be read and were skipped/,
  ]);
  for (const [choice, why] of [
    [huge, /bytes, more than a results\.json can be/],
    [cut, /is not valid JSON/],
    [invalid, /is not a valid results file/],
    ['nope', /neither a results\.json, a run id .*, nor a git ref/],
  ] as const) {
    const explicit = await attachBaseline(current('2026-01-05T00:00:00.000Z'), {
      choice,
      outDir: out,
      cwd: runs,
      resolveRef: async () => undefined,
    });
    t.equal(explicit.baseline, undefined);
    t.match(explicit.warnings?.[0], why);
    t.equal(explicit.exitCode, current('x').exitCode, 'the verdict is untouched');
  }
});

t.test("the baseline's text is masked with this run's secrets, warnings too", async (t) => {
  const runs = tempDir('baseline-secrets');
  store(runs, 'old', (r) => {
    r.startedAt = '2026-01-01T00:00:00.000Z';
    r.git = { commit: 'a'.repeat(40), dirty: false, branch: 'main' };
  });
  const now = current('2026-01-05T00:00:00.000Z');
  const failing = now.phases.flatMap((p) => p.failures)[0]!;
  const secret = 'hunter2-very-secret';
  const withSecret = mutableCopy(now);
  withSecret.phases
    .find((p) => p.failures.length > 0)!
    .tests.find((c) => c.name === failing.name)!.message = `boom ${secret}`;
  const res = await attachBaseline(withSecret as RunResults, {
    choice: undefined,
    outDir: path.join(runs, 'now'),
    cwd: runs,
    secrets: [secret],
  });
  t.ok(res.baseline);
  t.notMatch(JSON.stringify(res), secret);
  const bad = path.join(runs, 'bad.json');
  writeFileSync(bad, `{"version": 1, "x": "${secret}" oops`);
  const warned = await attachBaseline(now, {
    choice: bad,
    outDir: path.join(runs, 'now'),
    cwd: runs,
    secrets: [secret],
  });
  t.match(warned.warnings, [/not valid JSON/]);
  t.notMatch(JSON.stringify(warned), secret);
});

t.test('a stored run that is gone by the time it is read is skipped, not called damaged', async (t) => {
  const runsDir = tempDir('baseline-gone');
  const read = await readStoredResults(path.join(runsDir, 'removed-meanwhile', 'results.json'));
  t.match(
    read,
    { problem: /does not exist/, gone: true },
    'the scan skips it; an explicit --baseline file still says so',
  );
});
