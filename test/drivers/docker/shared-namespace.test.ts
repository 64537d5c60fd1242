import t from 'tap';
import {
  PG_ENV,
  PG_READY,
  REDIS_READY,
  contextFor,
  fixtureImage,
  makeRun,
  newDriver,
  requireEngine,
} from './harness.js';

t.test('services sharing a namespace are reached on localhost by a client that only knows localhost', async (t) => {
  if (!requireEngine(t)) return;
  const driver = newDriver();
  const run = makeRun(t, driver);
  const ctx = contextFor(run);
  const [redisImage, pgImage, client] = await Promise.all([
    fixtureImage(driver, run, 'redis'),
    fixtureImage(driver, run, 'postgres'),
    fixtureImage(driver, run, 'client'),
  ]);
  await driver.createNetwork(run);
  // Started concurrently, as the executor does: exactly one becomes the namespace owner.
  const [redis, pg] = await Promise.all([
    driver.startService({ name: 'redis', image: redisImage, env: {}, ports: [6379], sharedNamespace: true }, ctx),
    driver.startService({ name: 'postgres', image: pgImage, env: PG_ENV, ports: [5432], sharedNamespace: true }, ctx),
  ]);
  // One owns the namespace under its own name; the other is reached at the owner's address.
  t.ok(
    ['redis', 'postgres'].includes(redis.host) && redis.host === pg.host,
    `both at the owner's name (${redis.host})`,
  );
  const [r, p] = await Promise.all([driver.waitReady(redis, REDIS_READY, ctx), driver.waitReady(pg, PG_READY, ctx)]);
  t.match(r, { ready: true });
  t.match(p, { ready: true });
  t.match(
    await driver.waitReady(pg, { kind: 'tcp', port: 5432, intervalMs: 50, timeoutMs: 5000 }, ctx),
    { ready: true },
    'tcp probe of a joined service',
  );

  const localhostOnly = await driver.runPhase(
    {
      name: 'legacy-suite',
      role: 'phase',
      attempt: 1,
      image: client,
      command: [
        'sh',
        '-c',
        'redis-cli -h localhost -p 6379 ping && PGPASSWORD=test_password psql -h localhost -p 5432 -U test_user -d app_test -tAc "select 6 * 7"',
      ],
      env: {},
      mounts: [],
      sharedNamespace: true,
    },
    ctx,
  );
  t.equal(localhostOnly.exitCode, 0, localhostOnly.logTail.join('\n'));
  t.same(localhostOnly.logTail, ['PONG', '42']);
  await driver.releasePhase(localhostOnly.handle);

  // A phase outside the namespace in the same run reaches both through their handles' host.
  const byHandle = await driver.runPhase(
    {
      name: 'by-handle',
      role: 'phase',
      attempt: 1,
      image: client,
      command: [
        'sh',
        '-c',
        `redis-cli -h ${redis.host} -p ${redis.port} ping && psql postgresql://test_user:test_password@${pg.host}:${pg.port}/app_test -tAc "select 1"`,
      ],
      env: {},
      mounts: [],
      sharedNamespace: false,
    },
    ctx,
  );
  t.equal(byHandle.exitCode, 0, byHandle.logTail.join('\n'));
  t.same(byHandle.logTail, ['PONG', '1']);
  await driver.releasePhase(byHandle.handle);

  // Without the shared namespace, localhost is the phase's own: nothing listens there.
  const isolated = await driver.runPhase(
    {
      name: 'isolated',
      role: 'phase',
      attempt: 1,
      image: client,
      command: ['sh', '-c', 'redis-cli -h localhost -p 6379 ping'],
      env: {},
      mounts: [],
      sharedNamespace: false,
    },
    ctx,
  );
  t.not(isolated.exitCode, 0, 'a phase outside the namespace does not reach localhost:6379');
  await driver.releasePhase(isolated.handle);
});
