/**
 * Parallel phases against one real Redis: sharing it breaks them (each reads what the other wrote);
 * `scope: 'phase'` (an instance each) and `exclusive: true` (one at a time) make the same phases pass.
 * The phases meet first (each counts itself in and waits for the other, up to 6 s), so when they share
 * the service the overlap is certain, not a matter of timing.
 */
import t from 'tap';
import type { RunResults, StepTiming } from '../../src/report/results.js';
import {
  assertNothingLeft,
  FIXTURE_IMAGES,
  readOut,
  readResults,
  requireEngine,
  runCli,
  tempDir,
  writePlan,
} from './e2e-helpers.js';

/** Counts itself in, waits for the other phase (≤ 6 s), claims the key, and checks it still holds it 1 s later. */
const claim = (me: string): string =>
  [
    'R="redis-cli -h ${redis.host} -p ${redis.port}"',
    '$R INCR arrived >/dev/null',
    'i=0; while [ "$($R GET arrived)" -lt 2 ] && [ $i -lt 60 ]; do sleep 0.1; i=$((i+1)); done',
    `$R SET owner ${me} >/dev/null`,
    'sleep 1',
    'v=$($R GET owner)',
    'echo "owner after 1s: $v"',
    `[ "$v" = ${me} ]`,
  ].join('\n');

function isolationPlan(name: string, redis: Record<string, unknown>): string {
  return writePlan({
    name,
    images: { redis: FIXTURE_IMAGES.redis, client: FIXTURE_IMAGES.client },
    services: { redis: { image: 'redis', ready: { preset: 'redis' }, ...redis } },
    phases: {
      left: { image: 'client', services: ['redis'], run: claim('left') },
      right: { image: 'client', services: ['redis'], run: claim('right') },
    },
  });
}

function interval(steps: readonly StepTiming[], id: string): [number, number] {
  const step = steps.find((s) => s.id === id);
  if (!step?.startedAt || !step.finishedAt) throw new Error(`step ${id} has no timing: ${JSON.stringify(step)}`);
  return [Date.parse(step.startedAt), Date.parse(step.finishedAt)];
}

const overlapMs = (results: RunResults): number => {
  const a = interval(results.steps, 'run-phase:left');
  const b = interval(results.steps, 'run-phase:right');
  return Math.min(a[1], b[1]) - Math.max(a[0], b[0]);
};

async function runIsolation(name: string, redis: Record<string, unknown>) {
  const out = tempDir(name);
  const res = await runCli([
    'run',
    isolationPlan(name, redis),
    '--concurrency',
    '2',
    '--reporter',
    'plain',
    '--out',
    out,
  ]);
  return { res, out, results: readResults(out) };
}

t.test('shared Redis, parallel phases: they break each other, and plan run warned', async (t) => {
  if (!requireEngine(t)) return;
  const { res, results } = await runIsolation('isolation-shared', {});
  t.equal(res.code, 1, 'the verdict is a failure');
  const failed = results.phases.filter((p) => p.status === 'failed').map((p) => p.name);
  t.equal(failed.length, 1, `exactly one phase lost the key it wrote (${failed.join(', ')})`);
  t.ok(overlapMs(results) > 0, 'the phases overlapped');
  t.match(res.stderr, /warning: .*services\.redis: phases left and right can run at the same time and share one redis/);
  await assertNothingLeft(t, results);
});

t.test("scope: 'phase': each phase gets its own Redis and both pass, still in parallel", async (t) => {
  if (!requireEngine(t)) return;
  const { res, out, results } = await runIsolation('isolation-per-phase', { scope: 'phase' });
  t.equal(res.code, 0, res.stdout + res.stderr);
  t.ok(overlapMs(results) > 0, 'the phases still ran at the same time');
  t.same(
    results.services.map((s) => [s.name, s.forPhase, s.status]),
    [
      ['redis', 'left', 'ready'],
      ['redis', 'right', 'ready'],
    ],
  );
  t.notMatch(res.stderr, /warning:/, 'no sharing warning');
  t.match(res.stderr, /wait-ready:redis \(for left\) passed/, 'plain output names the instance');
  t.match(readOut(out, 'report.md'), /\| redis \(for right\) \|/, 'the report names the instance');
  await assertNothingLeft(t, results);
});

t.test('exclusive: the phases use the one Redis one at a time and both pass', async (t) => {
  if (!requireEngine(t)) return;
  const { res, results } = await runIsolation('isolation-exclusive', { exclusive: true });
  t.equal(res.code, 0, res.stdout + res.stderr);
  t.ok(overlapMs(results) <= 0, 'they did not overlap');
  t.equal(results.services.length, 1, 'one shared instance');
  await assertNothingLeft(t, results);
});
