/** Phases and services of the Docker driver on the fake engine: output, exit codes, timeouts, aborts, start faults. */
import t from 'tap';
import { EngineError } from '../../../src/drivers/docker/engine/engine-error.js';
import { contextFor, fakeRun, onFake, phase, service } from './on-fake.js';

async function setup() {
  const { engine, driver } = onFake();
  const run = fakeRun();
  await driver.createNetwork(run);
  return { engine, driver, run };
}

t.test('a phase streams its output as lines per stream, keeps the tail, and reports its exit code', async (t) => {
  const { engine, driver, run } = await setup();
  engine.onStart = (c) =>
    setImmediate(() => {
      engine.emit(c.id, 'one\ntw');
      engine.emit(c.id, 'oops\n', 'stderr');
      engine.emit(c.id, 'o\n');
      for (let i = 1; i <= 250; i++) engine.emit(c.id, `${i}\n`);
      engine.emit(c.id, 'no newline at end');
      engine.exit(c.id, 5);
    });
  const ctx = contextFor(run);
  const outcome = await driver.runPhase(
    phase('unit', { env: { A: '1' }, workdir: '/srv', mounts: [{ source: '/host', target: '/data', readOnly: true }] }),
    ctx,
  );
  t.match(outcome, { exitCode: 5, timedOut: false, aborted: false, handle: { name: 'unit' } });
  t.same(ctx.lines.slice(0, 3), [
    { line: 'one', stream: 'stdout' },
    { line: 'oops', stream: 'stderr' },
    { line: 'two', stream: 'stdout' },
  ]);
  t.same(ctx.lines.at(-1), { line: 'no newline at end', stream: 'stdout' }, 'the last line without its newline too');
  t.equal(outcome.logTail.length, 200);
  t.equal(outcome.logTail.at(-2), '250');

  const spec = engine.container(outcome.handle.id).spec;
  t.match(spec, {
    name: `testplan-${run.runId}-phase-unit-1`,
    image: 'sha256:app',
    command: ['run-tests'],
    env: { A: '1' },
    workdir: '/srv',
    placement: { network: `testplan-${run.runId}`, aliases: ['unit'] },
    publish: [],
    binds: [{ source: '/host', target: '/data', readOnly: true }],
    anonymousVolumes: ['/data'],
    labels: { 'testplan.run': run.runId, 'testplan.role': 'phase', 'testplan.name': 'unit' },
  });
  t.ok(
    engine.calls.indexOf(`attach ${outcome.handle.id}`) < engine.calls.indexOf(`start ${outcome.handle.id}`),
    'attached before start',
  );
  t.notOk(engine.calls.includes(`kill ${outcome.handle.id}`), 'a phase that ends by itself is not killed');
  t.ok(engine.containersById.has(outcome.handle.id), 'the container stays for collect');
  await driver.releasePhase(outcome.handle);
  t.notOk(engine.containersById.has(outcome.handle.id), 'released: removed');
  await driver.releasePhase(outcome.handle);
  t.pass('releasing twice is no error');
});

t.test('a phase ends with the exit of its die event; with no events from the engine, with wait', async (t) => {
  const { engine, driver, run } = await setup();
  engine.onStart = (c) => setImmediate(() => engine.exit(c.id, 4));
  const viaEvents = await driver.runPhase(phase('unit'), contextFor(run));
  t.match(viaEvents, { exitCode: 4, timedOut: false });
  t.ok(engine.calls.includes(`died ${viaEvents.handle.id}`), 'the die event was asked for');
  engine.failOn('containers.died', () => new EngineError('events are not allowed', 403));
  const viaWait = await driver.runPhase(phase('unit', { attempt: 2 }), contextFor(run));
  t.match(viaWait, { exitCode: 4, timedOut: false });
  engine.failOn('containers.wait', () => new EngineError('wait broke', 500));
  await t.rejects(
    driver.runPhase(phase('unit', { attempt: 3 }), contextFor(run)),
    /wait broke/,
    "both failed: wait's error",
  );
});

t.test('a timeout kills the phase: timedOut, not aborted', async (t) => {
  const { engine, driver, run } = await setup();
  const outcome = await driver.runPhase(phase('slow', { timeoutMs: 30 }), contextFor(run));
  t.match(outcome, { timedOut: true, aborted: false, exitCode: 137 });
  t.ok(engine.calls.includes(`kill ${outcome.handle.id}`), 'kill was called');
});

t.test('an abort kills the phase: aborted, not timedOut; an abort before start kills at once', async (t) => {
  const { engine, driver, run } = await setup();
  const controller = new AbortController();
  engine.onStart = (c) => setImmediate(() => engine.emit(c.id, 'started\n'));
  const ctx = contextFor(run, controller.signal);
  const running = driver.runPhase(phase('long', { timeoutMs: 60_000 }), ctx);
  setTimeout(() => controller.abort(), 20);
  const outcome = await running;
  t.match(outcome, { aborted: true, timedOut: false, exitCode: 137 });
  t.ok(engine.calls.includes(`kill ${outcome.handle.id}`));

  const early = await driver.runPhase(phase('late', { attempt: 2 }), contextFor(run, controller.signal));
  t.match(early, { aborted: true, timedOut: false });
});

t.test('a kill that fails (the phase ended meanwhile) still reports the outcome', async (t) => {
  const { engine, driver, run } = await setup();
  engine.failOn('containers.kill', () => new EngineError('is not running', 409));
  engine.onStart = (c) => setTimeout(() => engine.exit(c.id, 0), 40);
  const outcome = await driver.runPhase(phase('racy', { timeoutMs: 10 }), contextFor(run));
  t.match(outcome, { timedOut: true, exitCode: 0 });
});

t.test(
  'a phase that cannot be created or started is PHASE_START_FAILED; a started-then-failed one is removed',
  async (t) => {
    const { engine, driver, run } = await setup();
    engine.failOn('containers.create', (name) =>
      name.includes('bad-create') ? new EngineError('No such image: sha256:app', 404) : undefined,
    );
    const created = await driver.runPhase(phase('bad-create'), contextFor(run)).catch((e: unknown) => e);
    t.match(created, {
      code: 'PHASE_START_FAILED',
      exitCode: 3,
      message: /Phase "bad-create" \(image app\) could not start: No such image/,
    });

    engine.failOn('containers.start', () => new EngineError('exec: "/no/such/binary": not found', 400));
    const check = await driver
      .runPhase(phase('bad-start', { role: 'check' }), contextFor(run))
      .catch((e: unknown) => e);
    t.match(check, { code: 'PHASE_START_FAILED', message: /^Check "bad-start"/ });
    t.notOk(engine.byName(`testplan-${run.runId}-check-bad-start-1`), 'the container that could not start is removed');
  },
);

t.test('a service: published ports, address on the run network, labels; a failed start leaves nothing', async (t) => {
  const { engine, driver, run } = await setup();
  const ctx = contextFor(run);
  const redis = await driver.startService(service('redis', { command: ['redis-server'] }), ctx);
  t.match(redis, { name: 'redis', host: 'redis', port: 6379, published: { 6379: 40000 } });
  t.match(engine.container(redis.id).spec, {
    command: ['redis-server'],
    publish: [6379],
    placement: { network: `testplan-${run.runId}`, aliases: ['redis'] },
    labels: { 'testplan.role': 'service', 'testplan.name': 'redis' },
  });

  engine.failOn('containers.inspect', () => new EngineError('inspect failed', 500));
  const err = await driver.startService(service('pg'), ctx).catch((e: unknown) => e);
  t.match(err, { code: 'SERVICE_START_FAILED', message: /Service "pg" \(image app\) could not start: inspect failed/ });
  t.notOk(engine.byName(`testplan-${run.runId}-service-pg`), 'removed after the failed start');
});

t.test('shared namespace: one owner, the others join it and are reached at its name', async (t) => {
  const { engine, driver, run } = await setup();
  const ctx = contextFor(run);
  const [a, b] = await Promise.all([
    driver.startService(service('a', { sharedNamespace: true }), ctx),
    driver.startService(service('b', { sharedNamespace: true, ports: [5432] }), ctx),
  ]);
  t.equal(a.host, 'a');
  t.equal(b.host, 'a', "the joined service is reached at the owner's name");
  t.same(engine.container(b.id).spec.placement, { joinNamespaceOf: a.id });
  engine.onStart = (c) => setImmediate(() => engine.exit(c.id, 0));
  const p = await driver.runPhase(phase('legacy', { sharedNamespace: true }), ctx);
  t.same(engine.container(p.handle.id).spec.placement, { joinNamespaceOf: a.id });
});

t.test('a prepared phase: created ahead, neither attached nor started; runPhase attaches and starts it', async (t) => {
  const { engine, driver, run } = await setup();
  const prepared = await driver.preparePhase(phase('ahead', { env: { A: '1' } }), contextFor(run));
  const id = prepared.handle.id;
  t.match(engine.container(id).spec, { name: `testplan-${run.runId}-phase-ahead-1`, env: { A: '1' } });
  t.notOk(
    engine.calls.includes(`attach ${id}`),
    'not attached ahead (a stream to a container that never starts stays open)',
  );
  t.notOk(engine.calls.includes(`start ${id}`), 'not started by preparing');

  engine.onStart = (c) =>
    setImmediate(() => {
      engine.emit(c.id, 'from the prepared container\n');
      engine.exit(c.id, 0);
    });
  const creates = engine.calls.filter((c) => c.startsWith('create ')).length;
  const ctx = contextFor(run);
  const outcome = await driver.runPhase(phase('ahead', { env: { A: '1' } }), ctx, prepared);
  t.equal(outcome.handle.id, id, 'the prepared container ran');
  t.equal(engine.calls.filter((c) => c.startsWith('create ')).length, creates, 'no second container');
  t.match(outcome, { exitCode: 0, timedOut: false, aborted: false });
  t.same(ctx.lines, [{ line: 'from the prepared container', stream: 'stdout' }], "its output is the run's");
  t.ok(engine.calls.indexOf(`attach ${id}`) < engine.calls.indexOf(`start ${id}`), 'attached before start');
  await driver.releasePhase(outcome.handle);
  t.notOk(engine.containersById.has(id));
});

t.test('a prepared phase that never runs is removed by releasePhase, or else by cleanupRun', async (t) => {
  const { engine, driver, run } = await setup();
  const released = await driver.preparePhase(phase('skipped'), contextFor(run));
  await driver.releasePhase(released.handle);
  t.notOk(engine.containersById.has(released.handle.id), 'released: removed');

  const forgotten = await driver.preparePhase(phase('cancelled'), contextFor(run));
  await driver.cleanupRun(run);
  t.notOk(engine.containersById.has(forgotten.handle.id), 'swept by the run label');
  t.notOk(
    [...engine.containersById.values()].some((c) => c.spec.labels['testplan.run'] === run.runId),
    "nothing of the run's is left",
  );
});

t.test('a prepared phase whose start fails is removed and reported as PHASE_START_FAILED', async (t) => {
  const { engine, driver, run } = await setup();
  const prepared = await driver.preparePhase(phase('bad-start'), contextFor(run));
  engine.failOn('containers.start', () => new EngineError('exec: "run-tests": not found', 400));
  const err = await driver.runPhase(phase('bad-start'), contextFor(run), prepared).catch((e: unknown) => e);
  t.match(err, { code: 'PHASE_START_FAILED', message: /Phase "bad-start"/ });
  t.notOk(engine.containersById.has(prepared.handle.id));
});
