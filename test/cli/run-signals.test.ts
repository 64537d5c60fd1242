/** SIGINT / SIGTERM mid-run: exit 130, results marked interrupted, nothing left on the engine. */
import t from 'tap';
import type { ChildProcess } from 'node:child_process';
import {
  assertNothingLeft,
  countLabelled,
  FIXTURE_IMAGES,
  readResults,
  requireEngine,
  runCli,
  sleep,
  tempDir,
  waitForOutput,
  writePlan,
} from './e2e-helpers.js';

function sleeperPlan(name: string, withPostgres: boolean): Record<string, unknown> {
  return {
    name,
    images: FIXTURE_IMAGES,
    services: {
      redis: { image: 'redis', ready: { preset: 'redis' } },
      ...(withPostgres
        ? {
            postgres: {
              image: 'postgres',
              env: { POSTGRES_USER: 'e2e', POSTGRES_PASSWORD: 'pw', POSTGRES_DB: 'e2e' },
              ready: { preset: 'postgres', user: 'e2e', database: 'e2e' },
            },
          }
        : {}),
    },
    phases: {
      sleeper: {
        image: 'client',
        services: withPostgres ? ['redis', 'postgres'] : ['redis'],
        run: 'echo sleeping-now; sleep 60',
      },
    },
  };
}

for (const [signal, withPostgres] of [
  ['SIGINT', false],
  ['SIGTERM', true],
] as const) {
  t.test(`${signal} while a phase sleeps: exit 130, interrupted, zero resources left`, async (t) => {
    if (!requireEngine(t)) return;
    const name = `e2e-signal-${signal.toLowerCase()}`;
    const out = tempDir(`signal-${signal}`);
    let child: ChildProcess | undefined;
    let signalledAt = 0;
    let labelledMidRun = { containers: -1, networks: -1, volumes: -1 };
    const res = await runCli(['run', writePlan(sleeperPlan(name, withPostgres)), '--verbose', '--out', out], {
      onSpawn: (c) => {
        child = c;
        void waitForOutput(c, /sleeping-now/)
          .then(async () => {
            await sleep(300);
            labelledMidRun = await countLabelled(`testplan.plan=${name}`);
            signalledAt = Date.now();
            child?.kill(signal);
          })
          .catch((err: unknown) => t.fail(String(err)));
      },
    });
    t.ok(signalledAt > 0, 'the signal was sent while the phase slept');
    t.ok(
      labelledMidRun.containers >= 2 && labelledMidRun.networks === 1,
      `the engine held the run's resources mid-run (${JSON.stringify(labelledMidRun)})`,
    );
    // The postgres fixture declares a VOLUME: its labelled anonymous volume must go too.
    if (withPostgres) t.ok(labelledMidRun.volumes >= 1, 'a labelled volume existed mid-run');
    t.equal(res.code, 130, `exit 130\n${res.stderr}`);
    const results = readResults(out);
    t.equal(results.verdict, 'interrupted');
    t.equal(results.exitCode, 130);
    t.not(results.phases.find((p) => p.name === 'sleeper')?.status, 'passed');
    await assertNothingLeft(t, results);
  });
}

t.test('a second SIGINT forces: exit 130 at once, and still nothing left', async (t) => {
  if (!requireEngine(t)) return;
  const name = 'e2e-signal-twice';
  const out = tempDir('signal-twice');
  let signalledAt = 0;
  const res = await runCli(['run', writePlan(sleeperPlan(name, false)), '--verbose', '--out', out], {
    onSpawn: (c) => {
      void waitForOutput(c, /sleeping-now/)
        .then(async () => {
          await sleep(300);
          signalledAt = Date.now();
          c.kill('SIGINT');
          await sleep(50);
          c.kill('SIGINT');
        })
        .catch((err: unknown) => t.fail(String(err)));
    },
  });
  t.ok(signalledAt > 0, 'both signals were sent while the phase slept');
  t.equal(res.code, 130, `exit 130\n${res.stderr}`);
  t.same(await countLabelled(`testplan.plan=${name}`), { containers: 0, networks: 0, volumes: 0 }, 'nothing left');
});
