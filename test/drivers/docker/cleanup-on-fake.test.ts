/** Cleanup, prune, networks, images and describe() of the Docker driver on the fake engine. */
import t from 'tap';
import { EngineError } from '../../../src/drivers/docker/engine/engine-error.js';
import { InfrastructureError } from '../../../src/errors.js';
import type { RunIdentity } from '../../../src/drivers/driver.js';
import type { DockerDriver } from '../../../src/drivers/docker/docker-driver.js';
import type { FakeEngine } from '../../helpers/fake-engine.js';
import { contextFor, fakeRun, onFake, phase, service } from './on-fake.js';

/** A run that left its network, a service (with an image volume) and a finished phase. */
async function leave(driver: DockerDriver, engine: FakeEngine, run: RunIdentity) {
  const ctx = contextFor(run);
  await driver.createNetwork(run);
  await driver.startService(service('redis'), ctx);
  engine.onStart = (c) => setImmediate(() => engine.exit(c.id, 0));
  await driver.runPhase(phase('unit'), ctx);
  engine.onStart = () => undefined;
}

t.test('cleanupRun removes what carries the run label, counts it, and leaves other runs alone', async (t) => {
  const { engine, driver } = onFake();
  const [run, other] = [fakeRun(), fakeRun()];
  await leave(driver, engine, run);
  await leave(driver, engine, other);
  t.same(
    await driver.cleanupRun(run),
    { containers: 2, networks: 1, volumes: 2 },
    'the image VOLUME of both containers counts',
  );
  t.same(await driver.cleanupRun(run), { containers: 0, networks: 0, volumes: 0 }, 'a second cleanup finds nothing');
  t.equal(engine.containersById.size, 2, "the other run's containers are kept");
  t.ok(engine.networksByName.has(`testplan-${other.runId}`));
});

t.test('cleanup after faults: a failing removal does not stop the others; a listing failure is no throw', async (t) => {
  const { engine, driver } = onFake();
  const run = fakeRun();
  await leave(driver, engine, run);
  const stuck = engine.byName(`testplan-${run.runId}-service-redis`)?.id ?? '';
  engine.failOn('containers.remove', (id) =>
    id === stuck ? new EngineError('device or resource busy', 500) : undefined,
  );
  const report = await driver.cleanupRun(run);
  t.same(report, { containers: 1, networks: 1, volumes: 2 }, 'only what was removed counts');
  t.ok(engine.containersById.has(stuck));

  engine.failOn('containers.remove', () => new EngineError(`No such container: ${stuck}`, 404));
  t.match(await driver.cleanupRun(run), { containers: 1 }, 'gone already (404) counts as removed');

  engine.failOn('containers.list', () => new EngineError('connection refused'));
  engine.failOn('networks.list', () => new EngineError('connection refused'));
  engine.failOn('volumes.list', () => new EngineError('connection refused'));
  t.same(
    await driver.cleanupRun(fakeRun()),
    { containers: 0, networks: 0, volumes: 0 },
    'an engine that fails lists nothing, no throw',
  );
});

t.test(
  'prune: runs of this host whose runner is gone; narrowed by plan; `all`; other hosts never judged',
  async (t) => {
    const alive = new Set([100]);
    const { engine, driver } = onFake({ hostname: 'this-host', isAlive: (pid) => alive.has(pid) });
    const run = (plan: string, pid: string, host = 'this-host') =>
      fakeRun(plan, { 'testplan.pid': pid, 'testplan.host': host });
    const orphan = run('p', '200');
    const live = run('p', '100');
    const otherPlan = run('q', '200');
    const otherHost = run('p', '200', 'elsewhere');
    const badPid = run('p', 'not-a-pid');
    for (const r of [orphan, live, otherPlan, otherHost, badPid]) await leave(driver, engine, r);
    const left = (r: RunIdentity) =>
      [...engine.containersById.values()].filter((c) => c.spec.labels['testplan.run'] === r.runId).length;

    t.same(await driver.prune({ plan: 'p' }), { containers: 4, networks: 2, volumes: 4 });
    t.equal(left(orphan), 0, 'a dead runner: removed');
    t.equal(left(badPid), 0, 'a pid label that is no pid: removed');
    t.equal(left(live), 2, 'a live runner: kept');
    t.equal(left(otherPlan), 2, 'another plan: kept when narrowed');
    t.equal(left(otherHost), 2, 'another host: never judged by its pid');

    await driver.prune({});
    t.equal(left(otherPlan), 0, 'unnarrowed: every plan of this host');
    t.equal(left(otherHost), 2);
    await driver.prune({ all: true });
    t.equal(engine.containersById.size, 0, '`all`: every run, live or of another host');
  },
);

t.test(
  'networks: a retried create is no error; removing a gone network is none either; other faults surface',
  async (t) => {
    const { engine, driver } = onFake();
    const run = fakeRun();
    await driver.createNetwork(run);
    await driver.createNetwork(run);
    t.match(
      [...engine.networksByName.values()],
      [{ id: `testplan-${run.runId}`, labels: { 'testplan.role': 'network' } }],
    );
    await driver.removeNetwork(run);
    await driver.removeNetwork(run);
    engine.failOn('networks.remove', () => new EngineError('has active endpoints', 403));
    await driver.createNetwork(run);
    await t.rejects(driver.removeNetwork(run), { message: 'has active endpoints' });
  },
);

t.test('image refs: present, pull policy never, a failed pull, a pull that works', async (t) => {
  const { engine, driver } = onFake();
  const ctx = contextFor(fakeRun());
  engine.imagesByRef.set('redis:7', { id: 'sha256:redis', volumes: ['/data'] });
  t.same(await driver.resolveImageRef('redis:7', ctx), { name: 'redis:7', ref: 'sha256:redis', cached: true });
  await t.rejects(driver.prepareImage({ kind: 'ref', name: 'pg', ref: 'postgres:15', pull: 'never' }, ctx), {
    code: 'IMAGE_NOT_FOUND',
  });
  await t.rejects(driver.prepareImage({ kind: 'ref', name: 'pg', ref: 'postgres:15', pull: 'missing' }, ctx), {
    code: 'IMAGE_PULL_FAILED',
    message: /Could not pull image "postgres:15": pull access denied for postgres:15/,
  });
  engine.onPull = () => [
    { status: 'Pulling from library/postgres' },
    { status: 'Downloading' },
    { status: 'Status: Downloaded newer image' },
  ];
  const pulled = await driver.prepareImage({ kind: 'ref', name: 'pg', ref: 'postgres:15', pull: 'always' }, ctx);
  t.same(pulled, { name: 'pg', ref: 'sha256:postgres:15', cached: false });
  t.same(
    ctx.lines.map((l) => l.line),
    ['Pulling from library/postgres', 'Status: Downloaded newer image'],
    'per-layer progress is left out of the log',
  );
});

t.test('a build: its output streamed, the image id as ref, a failing step in the error', async (t) => {
  const { engine, driver } = onFake();
  const ctx = contextFor(fakeRun('Build Plan'));
  const context = t.testdir({ Dockerfile: 'FROM scratch\n' });
  const spec = { kind: 'build' as const, name: 'app', context, dockerfile: 'Dockerfile', args: { A: '1' } };
  engine.onBuild = () => [
    { stream: 'Step 1/2 : FROM scratch\n' },
    { stream: ' ---> Running in abc\n' },
    { aux: { ID: 'sha256:new' } },
  ];
  t.same(await driver.prepareImage(spec, ctx), { name: 'app', ref: 'sha256:new', cached: false });
  t.ok(engine.calls.includes('build testplan/build-plan-app:latest'));
  t.same(
    ctx.lines.map((l) => l.line),
    ['Step 1/2 : FROM scratch', ' ---> Running in abc'],
  );

  engine.onBuild = () => [{ stream: 'Step 1/1 : FROM scratch\n' }, { aux: { ID: 'sha256:cached' } }];
  t.match(await driver.prepareImage(spec, ctx), { cached: true }, 'no step ran: from the cache');

  engine.onBuild = () => [
    { stream: 'Step 2/2 : RUN exit 7\n' },
    { stream: 'about to fail\n' },
    {
      error: "The command '/bin/sh -c exit 7' returned a non-zero code: 7",
      errorDetail: { message: "The command '/bin/sh -c exit 7' returned a non-zero code: 7" },
    },
  ];
  const err = await driver.prepareImage(spec, ctx).catch((e: unknown) => e);
  t.ok(err instanceof InfrastructureError);
  t.match(err, {
    code: 'IMAGE_BUILD_FAILED',
    message: /Image "app" failed to build[\s\S]*\| Step 2\/2 : RUN exit 7\n {2}\| about to fail\n {2}\| The command/,
  });

  engine.onBuild = () => [{ stream: 'Step 1/1 : FROM scratch\n' }];
  await t.rejects(driver.prepareImage(spec, ctx), {
    code: 'IMAGE_BUILD_FAILED',
    message: /the engine reported no image id/,
  });
});

t.test('describe() names the engine; a failing one is ENGINE_UNREACHABLE naming the endpoint', async (t) => {
  const { engine, driver } = onFake();
  t.same(await driver.describe(), { kind: 'docker', engine: 'Docker Engine 99.0.0-fake (API 1.99)' });
  engine.failOn('system.version', () => new EngineError('connect ECONNREFUSED /var/run/docker.sock'));
  await t.rejects(driver.describe(), {
    code: 'ENGINE_UNREACHABLE',
    message: /No Docker engine answers at the fake engine \(connect ECONNREFUSED/,
  });
});
