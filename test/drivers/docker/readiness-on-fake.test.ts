/** The readiness wait of the Docker driver on the fake engine: probes, exits, timeouts, aborts. */
import t from 'tap';
import { contextFor, fakeRun, onFake, service } from './on-fake.js';

const exec = (extra: object = {}) => ({
  kind: 'exec' as const,
  command: ['check'],
  intervalMs: 1,
  timeoutMs: 5000,
  ...extra,
});

async function started(name = 'svc') {
  const { engine, driver } = onFake();
  const run = fakeRun();
  const ctx = contextFor(run);
  await driver.createNetwork(run);
  const handle = await driver.startService(service(name), ctx);
  return { engine, driver, run, ctx, handle };
}

t.test('an exec probe that fails, then passes: ready, counting every probe', async (t) => {
  const { engine, driver, ctx, handle } = await started();
  let n = 0;
  engine.onExec = () => (++n < 3 ? { exitCode: 1, output: 'not yet' } : { exitCode: 0, output: 'PONG' });
  t.match(await driver.waitReady(handle, exec(), ctx), { ready: true, probes: 3 });
  t.same(
    engine.calls.filter((c) => c.startsWith('run ')),
    [`run ${handle.id} check`, `run ${handle.id} check`, `run ${handle.id} check`],
    'the probe command ran in the service container',
  );
});

t.test('`expect` must match the output of a zero exit', async (t) => {
  const { engine, driver, ctx, handle } = await started();
  engine.onExec = () => ({ exitCode: 0, output: 'LOADING' });
  const outcome = await driver.waitReady(handle, exec({ expect: '^PONG', timeoutMs: 50 }), ctx);
  t.match(outcome, {
    ready: false,
    reason: 'timeout',
    lastProbeOutput: /exit 0 \(output does not match \/\^PONG\/\): LOADING/,
  });
});

t.test('a container that exits during the wait ends it with its exit code and log tail', async (t) => {
  const { engine, driver, ctx, handle } = await started();
  engine.onExec = () => ({ exitCode: 1, output: 'refused' });
  engine.emit(handle.id, 'fatal: bad config\n', 'stderr');
  setTimeout(() => engine.exit(handle.id, 3), 20);
  const outcome = await driver.waitReady(handle, exec({ timeoutMs: 60_000 }), ctx);
  t.match(outcome, {
    ready: false,
    reason: 'exited',
    exitCode: 3,
    lastProbeOutput: /refused/,
    logTail: ['fatal: bad config'],
  });
});

t.test('a container that has exited already fails the wait without a successful probe', async (t) => {
  const { engine, driver, ctx, handle } = await started();
  engine.exit(handle.id, 0);
  const outcome = await driver.waitReady(handle, exec({ timeoutMs: 60_000 }), ctx);
  t.match(outcome, { ready: false, reason: 'exited', exitCode: 0 });
});

t.test('a probe that never passes times out with its last output; retries stop it sooner', async (t) => {
  const { engine, driver, ctx, handle } = await started();
  engine.onExec = () => ({ exitCode: 1, output: 'still loading' });
  engine.emit(handle.id, 'starting up\n');
  const timedOut = await driver.waitReady(handle, exec({ timeoutMs: 60 }), ctx);
  t.match(timedOut, {
    ready: false,
    reason: 'timeout',
    lastProbeOutput: 'exit 1: still loading',
    logTail: ['starting up'],
  });
  t.ok(timedOut.probes >= 1);
  t.match(await driver.waitReady(handle, exec({ retries: 3 }), ctx), { ready: false, reason: 'retries', probes: 3 });
});

t.test('an engine error in a probe is a failed probe, not a crash', async (t) => {
  const { engine, driver, ctx, handle } = await started();
  let n = 0;
  engine.onExec = () => {
    if (++n === 1) throw new Error('exec create: conflict');
    return { exitCode: 0, output: '' };
  };
  t.match(await driver.waitReady(handle, exec(), ctx), { ready: true, probes: 2 });
});

t.test('an abort ends the wait as aborted, also for a wait started after the abort', async (t) => {
  const { engine, driver, run, handle } = await started();
  engine.onExec = () => ({ exitCode: 1, output: 'no' });
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 20);
  t.match(await driver.waitReady(handle, exec({ timeoutMs: 60_000 }), contextFor(run, controller.signal)), {
    ready: false,
    reason: 'aborted',
  });
  const again = await driver.waitReady(handle, exec({ timeoutMs: 60_000 }), contextFor(run, controller.signal));
  t.match(again, { ready: false, reason: 'aborted', probes: 0 });
});

t.test('tcp and http probes without a routable address fall back to a client in the container', async (t) => {
  const { engine, driver, ctx, handle } = await started();
  const commands: string[] = [];
  engine.onExec = (_c, command) => {
    commands.push(command.join(' '));
    return { exitCode: 0, output: command[0] === 'redis-cli' ? 'PONG' : '' };
  };
  t.match(await driver.waitReady(handle, { kind: 'tcp', port: 6379, intervalMs: 1, timeoutMs: 5000 }, ctx), {
    ready: true,
  });
  t.match(
    await driver.waitReady(handle, { kind: 'http', port: 80, path: '/health', intervalMs: 1, timeoutMs: 5000 }, ctx),
    { ready: true },
  );
  t.match(await driver.waitReady(handle, { kind: 'redis', port: 6379, intervalMs: 1, timeoutMs: 5000 }, ctx), {
    ready: true,
  });
  t.match(commands[0], /nc -z -w 1 127\.0\.0\.1 6379/);
  t.match(commands[1], /curl -fsS -o \/dev\/null 'http:\/\/127\.0\.0\.1:80\/health'/);
  t.equal(commands[2], 'redis-cli -h 127.0.0.1 -p 6379 ping');
});

t.test('a log probe counts matching lines on stdout and stderr, old and new', async (t) => {
  const { engine, driver, ctx, handle } = await started();
  engine.emit(handle.id, 'boot\nready to serve\n');
  setTimeout(() => engine.emit(handle.id, 'ready to serve\n', 'stderr'), 10);
  const probe = { kind: 'log' as const, pattern: '^ready to serve$', times: 2, intervalMs: 1, timeoutMs: 5000 };
  t.match(await driver.waitReady(handle, probe, ctx), { ready: true });
  const three = await driver.waitReady(handle, { ...probe, times: 3, timeoutMs: 50 }, ctx);
  t.match(three, {
    ready: false,
    reason: 'timeout',
    lastProbeOutput: /^2\/3 lines matched .*; last line: ready to serve$/,
  });
});

t.test('a log probe whose container exits before enough lines fails as exited', async (t) => {
  const { engine, driver, ctx, handle } = await started();
  engine.emit(handle.id, 'ready to serve\n');
  setTimeout(() => {
    engine.emit(handle.id, 'crash\n');
    engine.exit(handle.id, 2);
  }, 10);
  const outcome = await driver.waitReady(
    handle,
    { kind: 'log', pattern: '^ready', times: 2, intervalMs: 1, timeoutMs: 60_000 },
    ctx,
  );
  t.match(outcome, { ready: false, reason: 'exited', exitCode: 2, logTail: ['ready to serve', 'crash'] });
  t.ok(!outcome.ready && outcome.exitedAt, 'with the time it exited');
});

t.test(
  'serviceExit: nothing while it runs; its code and time once it exited; a removed container is dead too',
  async (t) => {
    const { engine, driver, handle } = await started();
    t.equal(await driver.serviceExit(handle), undefined);
    engine.exit(handle.id, 137);
    const exit = await driver.serviceExit(handle);
    t.match(exit, { exitCode: 137 });
    t.ok(exit && Date.parse(exit.at) > 0);
    await driver.stopService(handle);
    t.match(await driver.serviceExit(handle), { exitCode: null }, 'gone is not alive');
  },
);

t.test('output from the service brings the next probe forward: its log is followed during the wait', async (t) => {
  const { engine, driver, ctx, handle } = await started();
  let ready = false;
  engine.onExec = () => (ready ? { exitCode: 0, output: 'PONG' } : { exitCode: 1, output: 'refused' });
  setTimeout(() => {
    ready = true;
    engine.emit(handle.id, 'Ready to accept connections\n');
  }, 30);
  // Without the log, the second probe would come a minute after the first.
  const outcome = await driver.waitReady(handle, exec({ intervalMs: 60_000, timeoutMs: 120_000 }), ctx);
  t.match(outcome, { ready: true, probes: 2 });
  t.ok(outcome.elapsedMs < 30_000, `ready after ${outcome.elapsedMs} ms`);
  t.ok(engine.calls.includes(`logs ${handle.id}`), 'the log was followed');
});
