/** A SIGKILLed runner leaves labelled resources; `plan prune` and the next `plan run` of the plan remove them. */
import t from 'tap';
import type { ChildProcess } from 'node:child_process';
import {
  countLabelled,
  FIXTURE_IMAGES,
  NOTHING,
  readResults,
  requireEngine,
  runCli,
  sleep,
  tempDir,
  waitForOutput,
  writePlan,
} from './e2e-helpers.js';

const NAME = 'e2e-prune';
const plan = {
  name: NAME,
  images: { redis: FIXTURE_IMAGES.redis, client: FIXTURE_IMAGES.client },
  services: { redis: { image: 'redis', ready: { preset: 'redis' } } },
  phases: { sleeper: { image: 'client', services: ['redis'], run: 'echo sleeping-now; sleep 60' } },
};

/** Starts a run and SIGKILLs it while the phase sleeps; returns the run id (from the labels left behind). */
async function killedRun(file: string): Promise<string> {
  const before = new Set(await runIdsOf(NAME));
  await runCli(['run', file, '--verbose', '--out', tempDir('prune-killed')], {
    onSpawn: (child: ChildProcess) => {
      void waitForOutput(child, /sleeping-now/).then(
        async () => {
          await sleep(300);
          child.kill('SIGKILL');
        },
        () => undefined,
      );
    },
  });
  const left = (await runIdsOf(NAME)).filter((id) => !before.has(id));
  if (left.length !== 1) throw new Error(`expected one killed run's resources, found runs ${JSON.stringify(left)}`);
  return left[0]!;
}

async function runIdsOf(plan: string): Promise<string[]> {
  const { default: Dockerode } = await import('dockerode');
  const containers = await new Dockerode().listContainers({
    all: true,
    filters: JSON.stringify({ label: [`testplan.plan=${plan}`] }),
  });
  return [...new Set(containers.map((c) => c.Labels['testplan.run'] ?? ''))];
}

t.test('plan prune removes what a SIGKILLed run left', async (t) => {
  if (!requireEngine(t)) return;
  const file = writePlan(plan);
  const runId = await killedRun(file);
  const left = await countLabelled(`testplan.run=${runId}`);
  t.ok(left.containers >= 2 && left.networks === 1, `the killed run left ${JSON.stringify(left)}`);
  const res = await runCli(['prune', '--plan', NAME]);
  t.equal(res.code, 0, res.stderr);
  t.match(res.stdout, /pruned/);
  t.same(await countLabelled(`testplan.run=${runId}`), NOTHING, 'nothing of the killed run remains');
});

t.test('the next plan run of the same plan prunes a killed run first', async (t) => {
  if (!requireEngine(t)) return;
  const file = writePlan(plan);
  const runId = await killedRun(file);
  t.ok((await countLabelled(`testplan.run=${runId}`)).containers >= 2, 'the killed run left containers');
  const out = tempDir('prune-next');
  const next = await runCli(['run', file, '--phase', 'sleeper', '--out', out], {
    onSpawn: (child) => {
      // The fresh run's phase would sleep 60 s: interrupt it once it runs; pruning came before that.
      void waitForOutput(child, /run-phase:sleeper/).then(
        () => child.kill('SIGINT'),
        () => undefined,
      );
    },
  });
  t.equal(next.code, 130, next.stderr);
  t.same(await countLabelled(`testplan.run=${runId}`), NOTHING, "the later run removed the killed run's resources");
  t.same(await countLabelled(`testplan.plan=${NAME}`), NOTHING, 'and its own');
  t.equal(readResults(out).verdict, 'interrupted');
});
