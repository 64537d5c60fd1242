import t from 'tap';
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { LABEL } from '../../../src/drivers/docker/labels.js';
import { DockerDriver } from '../../../src/drivers/docker/docker-driver.js';
import type { RunIdentity } from '../../../src/drivers/driver.js';
import {
  PG_ENV,
  contextFor,
  countLabelled,
  fixtureImage,
  makeRun,
  newDriver,
  requireEngine,
  shPhase,
  testEngine,
} from './harness.js';

const engine = testEngine();

/** A pid that surely belongs to no running process: one that has just exited. */
function deadPid(): number {
  const child = spawnSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' });
  return Number(child.stdout.trim());
}

/** A run left with a service (with a labelled volume), a finished phase and its network. */
async function leaveResources(driver: DockerDriver, run: RunIdentity): Promise<void> {
  const ctx = contextFor(run);
  const [pgImage, client] = await Promise.all([
    fixtureImage(driver, run, 'postgres'),
    fixtureImage(driver, run, 'client'),
  ]);
  await driver.createNetwork(run);
  await driver.startService(
    { name: 'postgres', image: pgImage, env: PG_ENV, ports: [5432], sharedNamespace: false },
    ctx,
  );
  await driver.runPhase(
    {
      name: 'unit',
      role: 'phase',
      attempt: 1,
      image: client,
      command: ['true'],
      env: {},
      mounts: [],
      sharedNamespace: false,
    },
    ctx,
  );
}

t.test('every container, network and volume carries the run labels; cleanupRun leaves none', async (t) => {
  if (!requireEngine(t)) return;
  const driver = newDriver();
  const run = makeRun(t, driver, 'labels-plan');
  await leaveResources(driver, run);

  const selector = { [LABEL.run]: run.runId };
  const [containers, networks, volumes] = await Promise.all([
    engine.containers.list(selector),
    engine.networks.list(selector),
    engine.volumes.list(selector),
  ]);
  t.equal(containers.length, 2, 'service and phase containers');
  t.equal(networks.length, 1, 'the run network');
  t.ok(volumes.length >= 1, 'the image VOLUME of postgres as a labelled anonymous volume');
  const expected = {
    [LABEL.run]: run.runId,
    [LABEL.plan]: 'labels-plan',
    [LABEL.pid]: String(process.pid),
    [LABEL.host]: hostname(),
  };
  for (const c of containers) t.match(c.labels, expected, `container ${c.id}`);
  t.same(containers.map((c) => `${c.labels[LABEL.role]}:${c.labels[LABEL.name]}`).sort(), [
    'phase:unit',
    'service:postgres',
  ]);
  for (const n of networks) t.match(n.labels, expected, `network ${n.id}`);
  for (const v of volumes)
    t.match(v.labels, { ...expected, [LABEL.role]: 'service', [LABEL.name]: 'postgres' }, `volume ${v.id}`);

  const report = await driver.cleanupRun(run);
  t.same(report, { containers: 2, networks: 1, volumes: volumes.length });
  t.same(await countLabelled(run.runId), { containers: 0, networks: 0, volumes: 0 });
  t.same(
    await driver.cleanupRun(run),
    { containers: 0, networks: 0, volumes: 0 },
    'a second cleanup finds nothing and does not throw',
  );
});

t.test('prune removes runs whose runner is gone, keeps live ones, and `all` removes every run', async (t) => {
  if (!requireEngine(t)) return;
  const driver = newDriver();
  const plan = `prune-plan-${Date.now().toString(36)}`;
  const orphan = makeRun(t, driver, plan, deadPid());
  const live = makeRun(t, driver, plan);
  const otherPlan = makeRun(t, driver, `${plan}-other`, deadPid());
  await Promise.all([leaveResources(driver, orphan), leaveResources(driver, live), leaveResources(driver, otherPlan)]);

  const report = await driver.prune({ plan });
  t.ok(report.containers >= 2 && report.networks >= 1, `removed the orphaned run (${JSON.stringify(report)})`);
  t.same(
    await countLabelled(orphan.runId),
    { containers: 0, networks: 0, volumes: 0 },
    'nothing of the orphaned run is left',
  );
  t.match(await countLabelled(live.runId), { containers: 2, networks: 1 }, 'the run of a live runner is kept');
  t.match(
    await countLabelled(otherPlan.runId),
    { containers: 2, networks: 1 },
    'another plan is left alone when narrowed',
  );

  const elsewhere = new DockerDriver({ hostname: 'some-other-host', isAlive: () => false });
  await elsewhere.prune({ plan: `${plan}-other` });
  t.match(
    await countLabelled(otherPlan.runId),
    { containers: 2 },
    'runs of another host are never judged by their pid',
  );

  await driver.prune({ plan: `${plan}-other` });
  t.same(await countLabelled(otherPlan.runId), { containers: 0, networks: 0, volumes: 0 });

  await driver.prune({ plan, all: true });
  t.same(await countLabelled(live.runId), { containers: 0, networks: 0, volumes: 0 }, '`all` removes live runs too');
});

t.test(
  'cleanupRun lets removals already under way finish, then removes the rest (a forced exit mid-teardown)',
  async (t) => {
    if (!requireEngine(t)) return;
    const driver = newDriver();
    const run = makeRun(t, driver);
    const [redis, client] = await Promise.all([
      fixtureImage(driver, run, 'redis'),
      fixtureImage(driver, run, 'client'),
    ]);
    await driver.createNetwork(run);
    const ctx = contextFor(run);
    const service = await driver.startService(
      { name: 'redis', image: redis, env: {}, ports: [6379], sharedNamespace: false },
      ctx,
    );
    const phase = await driver.runPhase(shPhase(client, 'exit 0'), ctx);
    // Teardown under way (the service killed and removed, the phase removed) when the second Ctrl-C cleans up.
    const teardown = [driver.stopService(service), driver.releasePhase(phase.handle)];
    const report = await driver.cleanupRun(run);
    t.same(await countLabelled(run.runId), { containers: 0, networks: 0, volumes: 0 }, 'nothing left');
    t.equal(report.networks, 1, 'the network was removed');
    await Promise.allSettled(teardown);
  },
);
