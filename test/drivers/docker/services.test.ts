import t from 'tap';
import { connect } from 'node:net';
import {
  PG_ENV,
  PG_READY,
  REDIS_READY,
  contextFor,
  fixtureImage,
  makeRun,
  newDriver,
  runWithImage,
} from './harness.js';
import { requireEngine, testEngine } from './harness.js';
import { isNotFound } from '../../../src/drivers/docker/engine/engine-error.js';

const engine = testEngine();

t.test('Redis and PostgreSQL services become ready and a phase reaches them by name', async (t) => {
  if (!requireEngine(t)) return;
  const driver = newDriver();
  const run = makeRun(t, driver);
  const ctx = contextFor(run);
  const [redisImage, pgImage, clientImage] = await Promise.all([
    fixtureImage(driver, run, 'redis'),
    fixtureImage(driver, run, 'postgres'),
    fixtureImage(driver, run, 'client'),
  ]);
  await driver.createNetwork(run);
  const [redis, pg] = await Promise.all([
    driver.startService({ name: 'redis', image: redisImage, env: {}, ports: [6379], sharedNamespace: false }, ctx),
    driver.startService({ name: 'postgres', image: pgImage, env: PG_ENV, ports: [5432], sharedNamespace: false }, ctx),
  ]);
  const [redisReady, pgReady] = await Promise.all([
    driver.waitReady(redis, REDIS_READY, ctx),
    driver.waitReady(pg, PG_READY, ctx),
  ]);
  t.match(redisReady, { ready: true });
  t.match(pgReady, { ready: true });

  t.match(redis, { name: 'redis', host: 'redis', port: 6379 });
  t.match(pg, { name: 'postgres', host: 'postgres', port: 5432 });
  for (const [handle, port] of [
    [redis, 6379],
    [pg, 5432],
  ] as const) {
    const hostPort = handle.published[port];
    t.ok(typeof hostPort === 'number' && hostPort > 0, `port ${port} published on a dynamic host port (${hostPort})`);
  }

  const phase = await driver.runPhase(
    {
      name: 'integration',
      role: 'phase',
      attempt: 1,
      image: clientImage,
      command: [
        'sh',
        '-c',
        'redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" set k v && redis-cli -h "$REDIS_HOST" get k && psql "$DATABASE_URL" -tAc "select 40 + 2"',
      ],
      env: {
        REDIS_HOST: redis.host,
        REDIS_PORT: String(redis.port),
        DATABASE_URL: `postgresql://test_user:test_password@${pg.host}:${pg.port}/app_test`,
      },
      mounts: [],
      sharedNamespace: false,
    },
    ctx,
  );
  t.equal(phase.exitCode, 0, phase.logTail.join('\n'));
  t.same(phase.logTail.slice(-3), ['OK', 'v', '42']);
  await driver.releasePhase(phase.handle);
  await Promise.all([driver.stopService(redis), driver.stopService(pg)]);
  const gone = await engine.containers.inspect(redis.id).then(
    () => 'still there',
    (e: unknown) => (isNotFound(e) ? 'gone' : String(e)),
  );
  t.equal(gone, 'gone', 'stopService removed the container');
});

t.test('the postgres probe over TCP is not fooled by the init-time server on the Unix socket', async (t) => {
  if (!requireEngine(t)) return;
  const { driver, ctx, image: pgImage } = await runWithImage(t, 'postgres');
  const pg = await driver.startService(
    {
      name: 'postgres',
      image: pgImage,
      env: { ...PG_ENV, POSTGRES_INIT_DELAY: '2' },
      ports: [5432],
      sharedNamespace: false,
    },
    ctx,
  );
  const realQuery = () =>
    engine.exec.run(pg.id, [
      'sh',
      '-c',
      'PGPASSWORD=test_password psql -h 127.0.0.1 -U test_user -d app_test -tAc "select 1"',
    ]);

  // The naive probe (socket) is what gets fooled: it says ready while no TCP client can connect.
  const naive = await driver.waitReady(pg, { ...PG_READY, command: ['pg_isready', '-U', 'test_user'] }, ctx);
  t.match(naive, { ready: true });
  const duringInit = await realQuery();
  t.not(
    duringInit.exitCode,
    0,
    `a real TCP query fails while the socket probe already says ready: ${duringInit.output.trim()}`,
  );

  const preset = await driver.waitReady(pg, PG_READY, ctx);
  const afterReady = await realQuery();
  t.match(preset, { ready: true });
  t.equal(afterReady.exitCode, 0, `the first TCP query after readiness succeeds: ${afterReady.output.trim()}`);
  t.equal(afterReady.output.trim(), '1');
});

t.test('a tcp probe is not fooled by a published port where nothing listens', async (t) => {
  if (!requireEngine(t)) return;
  const { driver, ctx, image: client } = await runWithImage(t, 'client');
  const idle = await driver.startService(
    { name: 'idle', image: client, command: ['sleep', 'infinity'], env: {}, ports: [7000], sharedNamespace: false },
    ctx,
  );
  const hostPort = idle.published[7000] ?? 0;
  const proxyAccepts = await new Promise<boolean>((resolve) => {
    const s = connect({ host: '127.0.0.1', port: hostPort }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
  t.comment(
    `a connect to the published host port ${hostPort} ${proxyAccepts ? 'succeeds (docker-proxy)' : 'fails'} although nothing listens`,
  );

  const outcome = await driver.waitReady(idle, { kind: 'tcp', port: 7000, intervalMs: 50, timeoutMs: 1200 }, ctx);
  t.match(outcome, { ready: false, reason: 'timeout' });
  if (!outcome.ready) t.match(outcome.lastProbeOutput, /ECONNREFUSED|exit 1/);

  const listening = await driver.startService(
    {
      name: 'listening',
      image: client,
      command: ['nc', '-lk', '7000'],
      env: {},
      ports: [7000],
      sharedNamespace: false,
    },
    ctx,
  );
  t.match(await driver.waitReady(listening, { kind: 'tcp', port: 7000, intervalMs: 50, timeoutMs: 10_000 }, ctx), {
    ready: true,
  });
});

t.test('an http probe needs the right status from the service', async (t) => {
  if (!requireEngine(t)) return;
  const { driver, ctx, image: client } = await runWithImage(t, 'client');
  const web = await driver.startService(
    {
      name: 'web',
      image: client,
      command: [
        'sh',
        '-c',
        'sleep 0.3; while true; do printf "HTTP/1.0 200 OK\\r\\nContent-Length: 2\\r\\n\\r\\nok" | nc -N -l 8080 >/dev/null; done',
      ],
      env: {},
      ports: [8080],
      sharedNamespace: false,
    },
    ctx,
  );
  t.match(
    await driver.waitReady(web, { kind: 'http', port: 8080, path: '/health', intervalMs: 50, timeoutMs: 10_000 }, ctx),
    {
      ready: true,
    },
  );
  const wrong = await driver.waitReady(
    web,
    { kind: 'http', port: 8080, path: '/health', status: 204, intervalMs: 50, timeoutMs: 800 },
    ctx,
  );
  t.match(wrong, { ready: false, reason: 'timeout', lastProbeOutput: /→ 200 \(want 204\)/ });
});

t.test('a service that never becomes ready times out with its log tail and the last probe output', async (t) => {
  if (!requireEngine(t)) return;
  const { driver, run, ctx, image: client } = await runWithImage(t, 'client');
  const stuck = await driver.startService(
    {
      name: 'stuck',
      image: client,
      command: ['sh', '-c', 'echo starting up; echo still waiting for config >&2; exec sleep infinity'],
      env: {},
      ports: [],
      sharedNamespace: false,
    },
    ctx,
  );
  const probe = {
    kind: 'exec' as const,
    command: ['sh', '-c', 'echo not yet; exit 1'],
    intervalMs: 50,
    timeoutMs: 1500,
  };
  const outcome = await driver.waitReady(stuck, probe, ctx);
  t.match(outcome, { ready: false, reason: 'timeout', lastProbeOutput: /exit 1: not yet/ });
  if (outcome.ready) return;
  t.ok(outcome.probes >= 2, `polled again after a failed probe (${outcome.probes} probes)`);
  // stdout and stderr are copied by separate engine goroutines: their relative order is not kept.
  t.same([...outcome.logTail].sort(), ['starting up', 'still waiting for config']);

  const limited = await driver.waitReady(stuck, { ...probe, timeoutMs: 30_000, retries: 3 }, ctx);
  t.match(limited, { ready: false, reason: 'retries', probes: 3 });

  const expectMismatch = await driver.waitReady(
    stuck,
    { kind: 'exec', command: ['echo', 'LOADING'], expect: '^PONG', intervalMs: 50, timeoutMs: 500 },
    ctx,
  );
  t.match(expectMismatch, { ready: false, reason: 'timeout', lastProbeOutput: /does not match/ });

  const aborter = new AbortController();
  setTimeout(() => aborter.abort(), 300);
  const aborted = await driver.waitReady(stuck, { ...probe, timeoutMs: 30_000 }, contextFor(run, aborter.signal));
  t.match(aborted, { ready: false, reason: 'aborted' }, 'the abort ended the wait, not its 30 s timeout');
});

t.test('a service whose process exits fails at once with its exit code', async (t) => {
  if (!requireEngine(t)) return;
  const { driver, ctx, image: client } = await runWithImage(t, 'client');
  const crashing = await driver.startService(
    {
      name: 'crashing',
      image: client,
      command: ['sh', '-c', 'sleep 0.5; echo "fatal: bad config"; exit 3'],
      env: {},
      ports: [6379],
      sharedNamespace: false,
    },
    ctx,
  );
  for (const probe of [
    { kind: 'exec' as const, command: ['false'], intervalMs: 50, timeoutMs: 20_000 },
    { kind: 'tcp' as const, port: 6379, intervalMs: 50, timeoutMs: 20_000 },
    { kind: 'log' as const, pattern: 'never printed', times: 1, intervalMs: 50, timeoutMs: 20_000 },
  ]) {
    const outcome = await driver.waitReady(crashing, probe, ctx);
    t.match(
      outcome,
      { ready: false, reason: 'exited', exitCode: 3 },
      `${probe.kind}: the exit ended the wait, not its 20 s timeout`,
    );
    if (!outcome.ready) t.same(outcome.logTail, ['fatal: bad config']);
  }
});

t.test('a log probe counts matching lines', async (t) => {
  if (!requireEngine(t)) return;
  const { driver, ctx, image: client } = await runWithImage(t, 'client');
  const svc = await driver.startService(
    {
      name: 'chatty',
      image: client,
      command: [
        'sh',
        '-c',
        'echo boot; sleep 0.3; echo ready to serve; sleep 0.3; echo ready to serve >&2; exec sleep infinity',
      ],
      env: {},
      ports: [],
      sharedNamespace: false,
    },
    ctx,
  );
  const twice = await driver.waitReady(
    svc,
    { kind: 'log', pattern: '^ready to serve$', times: 2, intervalMs: 50, timeoutMs: 10_000 },
    ctx,
  );
  t.match(twice, { ready: true });
  const thrice = await driver.waitReady(
    svc,
    { kind: 'log', pattern: '^ready to serve$', times: 3, intervalMs: 50, timeoutMs: 800 },
    ctx,
  );
  t.match(thrice, { ready: false, reason: 'timeout', lastProbeOutput: /2\/3 lines matched/ });
});

/** Redis prints `… 20:13:14.227 * Ready to accept connections`: when a probe could first succeed. */
function redisReadyAt(lines: readonly string[]): number | undefined {
  for (const line of lines) {
    const m = /(\d{1,2} \w{3} \d{4} \d{2}:\d{2}:\d{2})\.(\d{3}) \* Ready to accept connections/.exec(line);
    if (m?.[1] && m[2]) return Date.parse(`${m[1]} UTC`) + Number(m[2]);
  }
  return undefined;
}

/** How soon readiness is noticed is a figure: `npx tsx bench/driver-latency.ts`. Here: never before it is true. */
t.test('readiness is reported only after the service could answer', async (t) => {
  if (!requireEngine(t)) return;
  const driver = newDriver();
  const run = makeRun(t, driver);
  const ctx = contextFor(run);
  const [redisImage, client] = await Promise.all([
    fixtureImage(driver, run, 'redis'),
    fixtureImage(driver, run, 'client'),
  ]);
  await driver.createNetwork(run);

  const redis = await driver.startService(
    {
      name: 'redis',
      image: redisImage,
      command: ['sh', '-c', 'sleep 0.7; exec redis-server --save "" --appendonly no'],
      env: {},
      ports: [6379],
      sharedNamespace: false,
    },
    ctx,
  );
  const ready = await driver.waitReady(redis, REDIS_READY, ctx);
  const noticedAt = Date.now();
  const couldAt = redisReadyAt(await driver.serviceLogTail(redis, 50));
  t.match(ready, { ready: true });
  t.ok(
    couldAt !== undefined && couldAt <= noticedAt,
    'exec probe: ready after redis logged "Ready to accept connections"',
  );

  // The probe command writes the time it first succeeded.
  const flag = await driver.startService(
    {
      name: 'flag',
      image: client,
      command: ['sh', '-c', 'sleep 0.7; touch /tmp/go; exec sleep infinity'],
      env: {},
      ports: [],
      sharedNamespace: false,
    },
    ctx,
  );
  const flagReady = await driver.waitReady(
    flag,
    {
      kind: 'exec',
      command: ['sh', '-c', 'test -e /tmp/go && date +%s%3N > /tmp/ok-at'],
      intervalMs: 50,
      timeoutMs: 10_000,
    },
    ctx,
  );
  const flagNoticed = Date.now();
  const okAt = Number((await engine.exec.run(flag.id, ['cat', '/tmp/ok-at'])).output.trim());
  t.match(flagReady, { ready: true });
  t.ok(okAt > 0 && okAt <= flagNoticed, 'exec probe: ready after the probe command succeeded');

  const listener = await driver.startService(
    {
      name: 'listener',
      image: client,
      command: ['sh', '-c', 'sleep 0.7; date +%s%3N > /tmp/listen-at; exec nc -lk 7001'],
      env: {},
      ports: [7001],
      sharedNamespace: false,
    },
    ctx,
  );
  const tcpReady = await driver.waitReady(
    listener,
    { kind: 'tcp', port: 7001, intervalMs: 50, timeoutMs: 10_000 },
    ctx,
  );
  const tcpNoticed = Date.now();
  const listenAt = Number((await engine.exec.run(listener.id, ['cat', '/tmp/listen-at'])).output.trim());
  t.match(tcpReady, { ready: true });
  t.ok(listenAt > 0 && listenAt <= tcpNoticed, 'tcp probe: ready after the listener started');
});

t.test('the redis preset speaks the protocol: ready on PONG, not on a bare TCP listener', async (t) => {
  if (!requireEngine(t)) return;
  const driver = newDriver();
  const run = makeRun(t, driver);
  const ctx = contextFor(run);
  const [redisImage, clientImage] = await Promise.all([
    fixtureImage(driver, run, 'redis'),
    fixtureImage(driver, run, 'client'),
  ]);
  await driver.createNetwork(run);
  const probe = { kind: 'redis' as const, port: 6379, intervalMs: 50, timeoutMs: 1500 };
  const redis = await driver.startService(
    { name: 'redis', image: redisImage, env: {}, ports: [6379], sharedNamespace: false },
    ctx,
  );
  t.match(await driver.waitReady(redis, { ...probe, timeoutMs: 20_000 }, ctx), { ready: true });
  const impostor = await driver.startService(
    {
      name: 'impostor',
      image: clientImage,
      command: ['sh', '-c', 'exec nc -lk 6379'],
      env: {},
      ports: [6379],
      sharedNamespace: false,
    },
    ctx,
  );
  const outcome = await driver.waitReady(impostor, { ...probe, timeoutMs: 5000 }, ctx);
  t.match(outcome, { ready: false, reason: 'timeout', lastProbeOutput: /PING to .*6379: no answer/ });
});
