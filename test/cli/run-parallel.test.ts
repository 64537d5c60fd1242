/** Independent phases really run at the same time up to --concurrency, and one at a time with 1. */
import t from 'tap';
import type { StepTiming } from '../../src/report/results.js';
import {
  assertNothingLeft,
  FIXTURE_IMAGES,
  readResults,
  requireEngine,
  runCli,
  tempDir,
  writePlan,
} from './e2e-helpers.js';

const plan = {
  name: 'e2e-parallel',
  images: { client: FIXTURE_IMAGES.client },
  phases: {
    left: { image: 'client', run: 'sleep 2' },
    right: { image: 'client', run: 'sleep 2' },
  },
};

function interval(steps: readonly StepTiming[], id: string): [number, number] {
  const step = steps.find((s) => s.id === id);
  if (!step?.startedAt || !step.finishedAt) throw new Error(`step ${id} has no timing: ${JSON.stringify(step)}`);
  return [Date.parse(step.startedAt), Date.parse(step.finishedAt)];
}

function overlapMs(a: [number, number], b: [number, number]): number {
  return Math.min(a[1], b[1]) - Math.max(a[0], b[0]);
}

async function runWith(concurrency: number) {
  const out = tempDir(`parallel-${concurrency}`);
  const res = await runCli(['run', writePlan(plan), '--concurrency', String(concurrency), '--out', out]);
  return { res, results: readResults(out) };
}

t.test('--concurrency 2: the two sleeping phases overlap', async (t) => {
  if (!requireEngine(t)) return;
  const { res, results } = await runWith(2);
  t.equal(res.code, 0, res.stderr);
  const overlap = overlapMs(interval(results.steps, 'run-phase:left'), interval(results.steps, 'run-phase:right'));
  t.ok(overlap > 0, `phases overlapped (by ${overlap} ms)`);
  await assertNothingLeft(t, results);
});

t.test('--concurrency 1: they run one after the other', async (t) => {
  if (!requireEngine(t)) return;
  const { res, results } = await runWith(1);
  t.equal(res.code, 0, res.stderr);
  const overlap = overlapMs(interval(results.steps, 'run-phase:left'), interval(results.steps, 'run-phase:right'));
  t.ok(overlap <= 0, `phases did not overlap (gap ${-overlap} ms)`);
  await assertNothingLeft(t, results);
});
