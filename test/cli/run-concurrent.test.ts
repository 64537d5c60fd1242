/** Four `plan run`s of the same plan at once on one engine: no name collisions, all pass, nothing left. */
import t from 'tap';
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
  name: 'e2e-concurrent',
  images: { redis: FIXTURE_IMAGES.redis, client: FIXTURE_IMAGES.client },
  services: { redis: { image: 'redis', ready: { preset: 'redis' } } },
  phases: {
    use: {
      image: 'client',
      services: ['redis'],
      run: 'redis-cli -h ${redis.host} -p ${redis.port} set owner $HOSTNAME && [ "$(redis-cli -h ${redis.host} -p ${redis.port} get owner)" = "$HOSTNAME" ]',
    },
  },
};

t.test('four concurrent runs of one plan all pass and leave nothing', async (t) => {
  if (!requireEngine(t)) return;
  const file = writePlan(plan);
  const outs = [1, 2, 3, 4].map((i) => tempDir(`concurrent-${i}`));
  const runs = await Promise.all(outs.map((out) => runCli(['run', file, '--out', out], { timeoutMs: 240_000 })));
  runs.forEach((res, i) => t.equal(res.code, 0, `run ${i + 1} exit 0\n${res.stderr}`));
  const results = outs.map(readResults);
  t.equal(new Set(results.map((r) => r.runId)).size, 4, 'four distinct run ids');
  for (const r of results) {
    t.equal(r.verdict, 'passed');
    await assertNothingLeft(t, r);
  }
});
