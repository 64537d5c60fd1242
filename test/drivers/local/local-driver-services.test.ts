import t from 'tap';
import { connect } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { LocalDriver } from '../../../src/drivers/local/local-driver.js';
import type { StartServiceRequest } from '../../../src/drivers/driver.js';
import { InfrastructureError } from '../../../src/errors.js';
import { FIXTURES, NODE, TIMING, isAlive, serverCommand, stepContext, userEnv } from './real-process-helpers.js';

const image = { name: 'app', ref: 'app', cached: true };

function request(name: string, command: string, extra: Partial<StartServiceRequest> = {}): StartServiceRequest {
  return { name, image, env: {}, ports: [9000], sharedNamespace: false, local: { command, env: {} }, ...extra };
}

function setup(t: { teardown: (fn: () => unknown) => void }, baseEnv = userEnv()) {
  const driver = new LocalDriver({ cwd: FIXTURES, baseEnv });
  const ctx = stepContext();
  t.teardown(() => driver.cleanupRun(ctx.run));
  return { driver, ctx };
}

function readLine(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setEncoding('utf8');
    socket.once('data', (data) => {
      socket.destroy();
      resolve(String(data).trim());
    });
    socket.once('error', reject);
  });
}

t.test('a tcp service becomes ready on a free host port that replaces ${port}', async (t) => {
  const { driver, ctx } = setup(t);
  const started = performance.now();
  const handle = await driver.startService(request('echo', serverCommand('tcp')), ctx);
  const outcome = await driver.waitReady(handle, { ...TIMING, kind: 'tcp', port: 9000 }, ctx);
  const startToReady = performance.now() - started;
  t.equal(outcome.ready, true, 'ready');
  t.equal(handle.host, '127.0.0.1');
  t.ok(handle.port && handle.port !== 9000, 'a free port, not the declared one');
  t.same(handle.published, { 9000: handle.port });
  t.equal(await readLine(handle.port ?? 0), 'hello', 'the port is really the service');
  t.comment(`tcp service start to ready: ${startToReady.toFixed(0)} ms`);
});

t.test('an http service becomes ready once /health answers, polling while it is not yet listening', async (t) => {
  const { driver, ctx } = setup(t);
  const handle = await driver.startService(
    request('web', serverCommand('http'), { env: { LISTEN_DELAY_MS: '300' } }),
    ctx,
  );
  const outcome = await driver.waitReady(handle, { ...TIMING, kind: 'http', port: 9000, path: '/health' }, ctx);
  t.equal(outcome.ready, true);
  t.ok(outcome.probes > 1, `polled ${outcome.probes} times`);
  t.ok(outcome.elapsedMs >= 250, `waited for the delayed listen (${outcome.elapsedMs} ms)`);
});

t.test('an http probe whose status never matches fails after its retries with the status it saw', async (t) => {
  const { driver, ctx } = setup(t);
  const handle = await driver.startService(request('web', serverCommand('http')), ctx);
  t.equal((await driver.waitReady(handle, { ...TIMING, kind: 'log', pattern: 'ready on', times: 1 }, ctx)).ready, true);
  const outcome = await driver.waitReady(
    handle,
    { ...TIMING, kind: 'http', port: 9000, path: '/missing', retries: 3 },
    ctx,
  );
  t.equal(outcome.ready, false);
  if (outcome.ready) return;
  t.equal(outcome.reason, 'retries');
  t.equal(outcome.probes, 3);
  t.match(outcome.lastProbeOutput, /404/);
});

t.test('a log probe passes on the line, and waits for the number of times asked', async (t) => {
  const { driver, ctx } = setup(t);
  const handle = await driver.startService(request('web', serverCommand('http')), ctx);
  const once = await driver.waitReady(handle, { ...TIMING, kind: 'log', pattern: 'ready on port \\d+', times: 1 }, ctx);
  t.equal(once.ready, true);
  const twice = await driver.waitReady(
    handle,
    { intervalMs: 25, timeoutMs: 400, kind: 'log', pattern: 'ready on port \\d+', times: 2 },
    ctx,
  );
  t.equal(twice.ready, false, 'the line was printed once only');
  if (!twice.ready) t.match(twice.lastProbeOutput, /seen 1 of 2/);
});

t.test('an exec probe runs on the host with the declared port replaced by the free port', async (t) => {
  const { driver, ctx } = setup(t);
  const handle = await driver.startService(request('web', serverCommand('tcp')), ctx);
  const checkPort = [NODE, join(FIXTURES, 'check-port.mjs'), '9000'];
  const ok = await driver.waitReady(handle, { ...TIMING, kind: 'exec', command: checkPort, expect: 'accepting' }, ctx);
  t.equal(ok.ready, true);
  const viaEnv = await driver.waitReady(
    handle,
    { ...TIMING, kind: 'exec', command: ['sh', '-c', `'${NODE}' '${join(FIXTURES, 'check-port.mjs')}' "$PORT"`] },
    ctx,
  );
  t.equal(viaEnv.ready, true, 'PORT is exported to exec probes');
  const wrongExpect = await driver.waitReady(
    handle,
    { ...TIMING, kind: 'exec', command: checkPort, expect: 'nope', retries: 2 },
    ctx,
  );
  t.equal(wrongExpect.ready, false, 'output must match expect');
  if (!wrongExpect.ready) t.match(wrongExpect.lastProbeOutput, /does not match \/nope\//);
  const otherPort = await driver.waitReady(
    handle,
    { ...TIMING, kind: 'exec', command: [NODE, join(FIXTURES, 'check-port.mjs'), '1'], retries: 2 },
    ctx,
  );
  t.equal(otherPort.ready, false, 'a port that is not declared is left alone');
});

t.test('a service that exits fails at once with reason exited, its exit code and its log', async (t) => {
  const { driver, ctx } = setup(t);
  const handle = await driver.startService(request('crash', serverCommand('exit')), ctx);
  const outcome = await driver.waitReady(handle, { intervalMs: 25, timeoutMs: 30_000, kind: 'tcp', port: 9000 }, ctx);
  t.equal(outcome.ready, false);
  if (outcome.ready) return;
  t.equal(outcome.reason, 'exited');
  t.equal(outcome.exitCode, 3);
  t.ok(outcome.logTail.includes('crashing'));
});

t.test('a service that never listens times out with its log tail and the last probe error', async (t) => {
  const { driver, ctx } = setup(t);
  const handle = await driver.startService(request('mute', serverCommand('never-listen')), ctx);
  const started = { ...TIMING, kind: 'log', pattern: 'never listens', times: 1 } as const;
  t.equal(
    (await driver.waitReady(handle, started, ctx)).ready,
    true,
    'the process is up (a loaded machine starts node slowly)',
  );
  const outcome = await driver.waitReady(handle, { intervalMs: 25, timeoutMs: 700, kind: 'tcp', port: 9000 }, ctx);
  t.equal(outcome.ready, false);
  if (outcome.ready) return;
  t.equal(outcome.reason, 'timeout');
  t.match(outcome.lastProbeOutput, /ECONNREFUSED/);
  t.ok(outcome.logTail.includes('starting, but this service never listens'));
  t.ok(outcome.probes >= 2, `${outcome.probes} probes in 700 ms`);
  const lastLine = await driver.serviceLogTail(handle, 1);
  t.equal(lastLine.length, 1, 'serviceLogTail returns as many lines as asked');
  t.match(lastLine[0], /not listening/);
});

t.test('waiting stops as soon as the run is aborted', async (t) => {
  const { driver, ctx } = setup(t);
  const handle = await driver.startService(request('mute', serverCommand('never-listen')), ctx);
  setTimeout(() => ctx.abort.abort(), 200);
  const outcome = await driver.waitReady(handle, { intervalMs: 25, timeoutMs: 30_000, kind: 'tcp', port: 9000 }, ctx);
  t.equal(outcome.ready, false);
  if (!outcome.ready) {
    t.equal(outcome.reason, 'aborted');
  }
});

t.test('the service sees the runner env, then its env, then its local env, then PORT', async (t) => {
  const { driver, ctx } = setup(t, { ...userEnv(), GREETING_NAME: 'runner env' });
  const handle = await driver.startService(
    request('web', serverCommand('http', '"$PORT"'), {
      env: { GREETING_NAME: 'plan env' },
      local: { command: serverCommand('http', '"$PORT"'), env: { GREETING_NAME: 'local env' } },
    }),
    ctx,
  );
  t.equal((await driver.waitReady(handle, { ...TIMING, kind: 'http', port: 9000, path: '/health' }, ctx)).ready, true);
  const res = await fetch(`http://${handle.host}:${handle.port}/greeting`);
  t.equal(await res.text(), 'hello from local env');
});

t.test('a service without local.command cannot run under --driver local and says what to add', async (t) => {
  const { driver, ctx } = setup(t);
  const req: StartServiceRequest = { name: 'redis', image, env: {}, ports: [6379], sharedNamespace: false };
  const err = await driver.startService(req, ctx).then(
    () => undefined,
    (e: unknown) => e,
  );
  t.ok(err instanceof InfrastructureError, 'an infrastructure error');
  if (!(err instanceof InfrastructureError)) return;
  t.equal(err.code, 'LOCAL_COMMAND_MISSING');
  t.match(err.message, /services\.redis\.local\.command/);
  t.match(err.message, /--driver local/);
});

t.test('stopService ends the service process and keeps its log tail readable', async (t) => {
  const { driver, ctx } = setup(t);
  const handle = await driver.startService(request('web', serverCommand('http')), ctx);
  t.equal((await driver.waitReady(handle, { ...TIMING, kind: 'log', pattern: 'ready on', times: 1 }, ctx)).ready, true);
  const pid = Number(handle.id.split(':').pop());
  t.ok(isAlive(pid));
  await driver.stopService(handle);
  t.notOk(isAlive(pid), 'process gone');
  t.same(await driver.serviceLogTail(handle, 1), ['stopping on SIGTERM'], 'stopped with SIGTERM first');
  t.equal(ctx.lines.includes('stopping on SIGTERM'), true, 'service lines reach onLog');
});

t.test('without local env the plan env wins over the runner env', async (t) => {
  const { driver, ctx } = setup(t, { ...userEnv(), GREETING_NAME: 'runner env' });
  const handle = await driver.startService(
    request('web', serverCommand('http'), { env: { GREETING_NAME: 'plan env' } }),
    ctx,
  );
  t.equal((await driver.waitReady(handle, { ...TIMING, kind: 'http', port: 9000, path: '/health' }, ctx)).ready, true);
  const res = await fetch(`http://${handle.host}:${handle.port}/greeting`);
  t.equal(await res.text(), 'hello from plan env');
});

t.test('output from the service brings the next probe forward instead of waiting out the back-off', async (t) => {
  const { driver, ctx } = setup(t);
  let lineAt = 0;
  const onLog = ctx.onLog;
  const timedCtx = {
    ...ctx,
    onLog: (line: string, stream: 'stdout' | 'stderr') => {
      if (line.startsWith('ready on port')) lineAt = performance.now();
      onLog(line, stream);
    },
  };
  const handle = await driver.startService(
    request('web', serverCommand('tcp'), { env: { LISTEN_DELAY_MS: '900' } }),
    timedCtx,
  );
  // The interval is longer than the timeout: only a probe brought forward by the service's line can pass.
  const probe = { intervalMs: 60_000, timeoutMs: 10_000, kind: 'tcp', port: 9000 } as const;
  const outcome = await driver.waitReady(handle, probe, ctx);
  const readyAt = performance.now();
  t.match(outcome, { ready: true, probes: 2 });
  t.ok(lineAt > 0, 'the service said it listens');
  // How soon after the line (the nudge's whole point) is a figure: bench/driver-latency.ts; the loop's
  // timing is tested on a fake clock in test/drivers/shared/wait-ready.test.ts.
  t.ok(readyAt >= lineAt, 'ready only after the service said it listens');
});
