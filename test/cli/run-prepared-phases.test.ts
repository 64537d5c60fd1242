/**
 * Phases prepared ahead (created while their services get ready) leave nothing behind when they never
 * run: a service that never gets ready (exit 3), and Ctrl-C while it is getting ready (exit 130).
 * Each run is checked by its own labels, mid-run (the prepared container existed) and after.
 */
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
  writePlan,
} from './e2e-helpers.js';

function slowPlan(name: string, readyTimeout: string): Record<string, unknown> {
  return {
    name,
    images: { client: FIXTURE_IMAGES.client },
    services: {
      slow: { image: 'client', command: 'sleep 300', ready: { exec: 'exit 1', timeout: readyTimeout } },
    },
    phases: {
      first: { image: 'client', services: ['slow'], run: 'echo never-runs' },
      second: { image: 'client', services: ['slow'], needs: ['first'], run: 'echo never-runs-either' },
    },
  };
}

/** Polls until a phase container of the plan exists (prepared while the service is not ready). */
async function seePreparedPhase(plan: string, child: () => ChildProcess | undefined): Promise<boolean> {
  for (let i = 0; i < 600 && child()?.exitCode === null; i++) {
    if ((await countLabelled([`testplan.plan=${plan}`, 'testplan.role=phase'])).containers > 0) return true;
    await sleep(50);
  }
  return false;
}

t.test('a service that never gets ready: its prepared phases are removed, nothing of the run is left', async (t) => {
  if (!requireEngine(t)) return;
  const name = 'e2e-prepared-not-ready';
  const out = tempDir('prepared-not-ready');
  let child: ChildProcess | undefined;
  let seen: Promise<boolean> = Promise.resolve(false);
  const res = await runCli(['run', writePlan(slowPlan(name, '4s')), '--out', out], {
    onSpawn: (c) => {
      child = c;
      seen = seePreparedPhase(name, () => child);
    },
  });
  t.ok(await seen, 'a phase container was prepared while the service was not ready');
  t.equal(res.code, 3, `exit 3\n${res.stderr}`);
  const results = readResults(out);
  t.same(
    results.phases.map((p) => p.status),
    ['skipped', 'skipped'],
    'neither phase ran',
  );
  await assertNothingLeft(t, results);
});

t.test('Ctrl-C while a service gets ready: its prepared phases are removed, exit 130', async (t) => {
  if (!requireEngine(t)) return;
  const name = 'e2e-prepared-interrupted';
  const out = tempDir('prepared-interrupted');
  let child: ChildProcess | undefined;
  let seen: Promise<boolean> = Promise.resolve(false);
  const res = await runCli(['run', writePlan(slowPlan(name, '120s')), '--out', out], {
    onSpawn: (c) => {
      child = c;
      seen = seePreparedPhase(name, () => child).then((found) => {
        child?.kill('SIGINT');
        return found;
      });
    },
  });
  t.ok(await seen, 'a phase container was prepared before the interrupt');
  t.equal(res.code, 130, `exit 130\n${res.stderr}`);
  await assertNothingLeft(t, readResults(out));
});
