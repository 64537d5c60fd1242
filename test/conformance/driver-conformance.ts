/**
 * The contract every driver passes, written once. `conformance(adapter)` registers every case for
 * one driver; each *.test.ts here runs it for one adapter. A driver that cannot do something
 * declares it in `driver.capabilities`; cases never skip on the driver's name.
 */
import t, { type Test } from 'tap';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReadyProbeSpec } from '../../src/dsl/plan.js';
import type { ServiceHandle } from '../../src/drivers/driver.js';
import type { DriverAdapter, Fixture } from './adapter.js';
import { tempDir } from '../helpers/temp-dir.js';

const TIMING = { intervalMs: 25, timeoutMs: 20_000 } as const;
const HTTP_SERVER = `exec "$NODE" -e "require('http').createServer((q, r) => { r.statusCode = q.url === '/health' ? 200 : 404; r.end('hi'); }).listen(Number(process.argv[1]), () => console.log('listening'))" \${port}`;
const SILENT_TCP = `exec "$NODE" -e "require('net').createServer(() => {}).listen(Number(process.argv[1]))" \${port}`;
const JUNIT =
  '<testsuites><testsuite name="s" tests="1"><testcase classname="c" name="passes"/></testsuite></testsuites>';

export function conformance(adapter: DriverAdapter): void {
  const test = (name: string, fn: (f: Fixture, t: Test) => Promise<void>): void => {
    t.test(`${adapter.name}: ${name}`, async (t) => {
      const f = await adapter.setup(t);
      if (f) await fn(f, t);
    });
  };

  test('declares its capabilities, and each one holds', async (f, t) => {
    for (const key of ['imageBuild', 'sharedNamespace', 'isolatedNetwork', 'serviceMounts'] as const)
      t.type(f.driver.capabilities[key], 'boolean', key);
    if (f.driver.capabilities.sharedNamespace) {
      // Services and phases asking for the shared namespace reach one another on localhost.
      const web = await f.driver.startService({ ...f.service('pod-web', HTTP_SERVER), sharedNamespace: true }, f.ctx);
      t.match(await f.driver.waitReady(web, { kind: 'http', port: f.port, path: '/health', ...TIMING }, f.ctx), {
        ready: true,
      });
      const client = `"$NODE" -e "fetch('http://127.0.0.1:${f.port}/health').then((r) => process.exit(r.status === 200 ? 0 : 1), () => process.exit(2))"`;
      const phase = await f.driver.runPhase(f.phase('pod-client', client, { sharedNamespace: true }), f.ctx);
      t.equal(phase.exitCode, 0, 'a phase in the shared namespace reaches the service on localhost');
      await f.driver.releasePhase(phase.handle);
    }
    const mounted = tempDir('conformance-mount');
    writeFileSync(join(mounted, 'pg_hba.conf'), 'host all all all trust\n');
    const withMount = await f.driver.startService(
      { ...f.service('mounted', 'exec sleep 60'), mounts: [{ source: mounted, target: '/etc/conf', readOnly: true }] },
      f.ctx,
    );
    if (f.driver.capabilities.serviceMounts) {
      const read = await f.driver.runInService(
        withMount,
        { command: ['cat', '/etc/conf/pg_hba.conf'], timeoutMs: 20_000 },
        f.ctx,
      );
      t.match(read, { exitCode: 0, outputTail: ['host all all all trust'] }, 'a service mount is inside the service');
    } else {
      t.ok(
        f.ctx.lines.some((l) => l.includes(`mount ${mounted} → /etc/conf is not applied`)),
        'a driver without service mounts says it does not apply them',
      );
      t.equal(await f.driver.serviceExit(withMount), undefined, 'and the service still starts');
    }
    if (f.driver.capabilities.contentAddressedImages) {
      // The phase cache keys phases on image handles' refs: they must be content ids, stable across look-ups.
      const image = f.phase('image-id', 'true').image;
      const [a, b] = await Promise.all([0, 1].map(() => f.driver.resolveImageRef(image.ref, f.ctx)));
      t.match(a!.ref, /^sha256:[0-9a-f]{64}$/, 'an image handle names its content');
      t.equal(a!.ref, b!.ref, 'the same image, the same id');
    }
    if (f.driver.capabilities.isolatedNetwork) {
      const handle = await f.driver.startService(f.service('named', HTTP_SERVER), f.ctx);
      t.equal(handle.host, 'named', 'an isolated service is reached by its own name');
    } else {
      const handle = await f.driver.startService(f.service('hosted', HTTP_SERVER), f.ctx);
      t.equal(handle.host, '127.0.0.1', 'without isolation, services are on the host loopback');
      t.not(handle.port, f.port, 'at a free port of their own, not the declared one');
    }
  });

  t.test(
    `${adapter.name}: concurrent runs of one driver kind keep apart, and cleaning one leaves the other`,
    async (t) => {
      const [a, b] = await Promise.all([adapter.setup(t), adapter.setup(t)]);
      if (!a || !b) return;
      const [sa, sb] = await Promise.all([
        a.driver.startService(a.service('same', HTTP_SERVER), a.ctx),
        b.driver.startService(b.service('same', HTTP_SERVER), b.ctx),
      ]);
      const probe = { kind: 'http' as const, port: a.port, path: '/health', ...TIMING };
      t.match(await Promise.all([a.driver.waitReady(sa, probe, a.ctx), b.driver.waitReady(sb, probe, b.ctx)]), [
        { ready: true },
        { ready: true },
      ]);
      await a.driver.cleanupRun(a.run);
      t.equal(await a.leftovers([sa]), 0, 'run A is gone');
      t.equal(await b.driver.serviceExit(sb), undefined, 'run B still runs');
      t.match(await b.driver.waitReady(sb, probe, b.ctx), { ready: true });
    },
  );

  test("two instances of one service (scope 'phase') run side by side, each at its own address", async (f, t) => {
    const [left, right] = await Promise.all(
      ['db--left', 'db--right'].map((alias) =>
        f.driver.startService({ ...f.service('db', HTTP_SERVER), alias }, f.ctx),
      ),
    );
    const probe = { kind: 'http' as const, port: f.port, path: '/health', ...TIMING };
    t.match(await Promise.all([f.driver.waitReady(left!, probe, f.ctx), f.driver.waitReady(right!, probe, f.ctx)]), [
      { ready: true },
      { ready: true },
    ]);
    t.not(`${left!.host}:${left!.port}`, `${right!.host}:${right!.port}`, 'each has its own address');
    if (f.driver.capabilities.isolatedNetwork) t.same([left!.host, right!.host], ['db--left', 'db--right']);
    await f.driver.stopService(left!);
    t.equal(await f.driver.serviceExit(right!), undefined, 'stopping one leaves the other running');
    t.match(await f.driver.waitReady(right!, probe, f.ctx), { ready: true });
  });

  test('a service starts at the address the driver planned for it, if it plans one', async (f, t) => {
    const requests = [f.service('planned', HTTP_SERVER), { ...f.service('db', HTTP_SERVER), alias: 'db--unit' }];
    for (const req of requests) {
      const planned = f.driver.plannedAddress?.(req);
      const handle = await f.driver.startService(req, f.ctx);
      if (planned) t.same({ host: handle.host, port: handle.port }, planned, `${req.alias ?? req.name}: as planned`);
      else t.pass(`${req.alias ?? req.name}: no address planned (known once it runs)`);
      await f.driver.stopService(handle);
    }
  });

  test('each probe kind passes on a ready service and names what it saw', async (f, t) => {
    const handle = await f.driver.startService(f.service('web', HTTP_SERVER), f.ctx);
    const probes: ReadyProbeSpec[] = [
      { kind: 'log', pattern: 'listening', times: 1, ...TIMING },
      { kind: 'tcp', port: f.port, ...TIMING },
      { kind: 'http', port: f.port, path: '/health', ...TIMING },
      { kind: 'exec', command: ['sh', '-c', 'exit 0'], ...TIMING },
    ];
    for (const probe of probes) t.match(await f.driver.waitReady(handle, probe, f.ctx), { ready: true }, probe.kind);
    const wrongStatus = await f.driver.waitReady(
      handle,
      { kind: 'http', port: f.port, path: '/nope', ...TIMING, timeoutMs: 400 },
      f.ctx,
    );
    t.match(
      wrongStatus,
      { ready: false, reason: 'timeout', lastProbeOutput: /404/ },
      'an HTTP status other than the wanted one is not ready',
    );
    const failing = await f.driver.waitReady(
      handle,
      { kind: 'exec', command: ['sh', '-c', 'echo not yet; exit 3'], ...TIMING, retries: 2 },
      f.ctx,
    );
    t.match(
      failing,
      { ready: false, reason: 'retries', probes: 2, lastProbeOutput: /not yet/ },
      'retries: N stops after N failed probes',
    );
  });

  test('a listener that never answers HTTP is not ready; a TCP probe to a closed port is not ready', async (f, t) => {
    const silent = await f.driver.startService(f.service('silent', SILENT_TCP), f.ctx);
    t.match(await f.driver.waitReady(silent, { kind: 'tcp', port: f.port, ...TIMING }, f.ctx), { ready: true });
    t.match(
      await f.driver.waitReady(silent, { kind: 'http', port: f.port, path: '/', ...TIMING, timeoutMs: 1500 }, f.ctx),
      { ready: false, reason: 'timeout' },
    );
    const idle = await f.driver.startService(f.service('idle', 'exec sleep 60'), f.ctx);
    t.match(await f.driver.waitReady(idle, { kind: 'tcp', port: f.port, ...TIMING, timeoutMs: 500 }, f.ctx), {
      ready: false,
      reason: 'timeout',
    });
  });

  test('a service that exits before it is ready is reported exited with its code, time and log tail, never ready', async (f, t) => {
    const handle = await f.driver.startService(f.service('dies', 'echo "fatal: no config"; exit 4'), f.ctx);
    const outcome = await f.driver.waitReady(handle, { kind: 'tcp', port: f.port, ...TIMING }, f.ctx);
    t.match(outcome, { ready: false, reason: 'exited', exitCode: 4 });
    if (outcome.ready) return;
    t.ok(outcome.exitedAt && !Number.isNaN(Date.parse(outcome.exitedAt)), `exitedAt ${outcome.exitedAt}`);
    t.ok(outcome.logTail.includes('fatal: no config'), 'the log tail says why');
    t.match(await f.driver.serviceExit(handle), { exitCode: 4 });
  });

  test('a service that dies after it was ready is seen as exited; a live one is not', async (f, t) => {
    const live = await f.driver.startService(f.service('live', 'exec sleep 60'), f.ctx);
    const dying = await f.driver.startService(f.service('dying', 'sleep 1; echo bye; exit 5'), f.ctx);
    t.equal(await f.driver.serviceExit(live), undefined);
    const exit = await eventually(() => f.driver.serviceExit(dying));
    t.match(exit, { exitCode: 5 });
    t.ok(exit && Date.parse(exit.at) > 0);
    t.equal(await f.driver.serviceExit(live), undefined, 'still running');
  });

  test('commands run inside a running service with its env: exit codes, output lines, timeout and abort', async (f, t) => {
    const service = await f.driver.startService(
      f.service('setup', 'exec sleep 60', { SETUP_GREETING: 'w o r l d' }),
      f.ctx,
    );
    const ctx = f.context();
    const ok = await f.driver.runInService(
      service,
      { command: ['sh', '-c', 'echo "hello $SETUP_GREETING"; echo "h€llo" >&2'], timeoutMs: 20_000 },
      ctx,
    );
    t.match(ok, { exitCode: 0, timedOut: false, aborted: false });
    t.same([...ok.outputTail].sort(), ['h€llo', 'hello w o r l d'].sort());
    t.same([...ctx.lines].sort(), ['h€llo', 'hello w o r l d'].sort(), 'output lines go to the step context');
    const bad = await f.driver.runInService(
      service,
      { command: ['sh', '-c', 'echo "role missing"; exit 3'], timeoutMs: 20_000 },
      f.ctx,
    );
    t.match(bad, { exitCode: 3, outputTail: ['role missing'] });
    const slow = await f.driver.runInService(service, { command: ['sleep', '30'], timeoutMs: 500 }, f.ctx);
    t.match(slow, { exitCode: null, timedOut: true, aborted: false });
    const abortable = f.context();
    setTimeout(() => abortable.abort.abort(), 300);
    const cancelled = await f.driver.runInService(service, { command: ['sleep', '30'], timeoutMs: 20_000 }, abortable);
    t.match(cancelled, { exitCode: null, timedOut: false, aborted: true });
    t.equal(await f.driver.serviceExit(service), undefined, 'the service runs on');
  });

  test('phase exit codes, env and output lines come through', async (f, t) => {
    const ok = await f.driver.runPhase(
      f.phase('ok', 'echo "hello $GREETING"; echo "h€llo 𝄞" >&2', { env: { GREETING: 'w o r l d' } }),
      f.ctx,
    );
    t.match(ok, { exitCode: 0, timedOut: false, aborted: false });
    t.same(ok.logTail.slice(-2).sort(), ['h€llo 𝄞', 'hello w o r l d'].sort());
    await f.driver.releasePhase(ok.handle);
    const bad = await f.driver.runPhase(f.phase('bad', 'exit 3'), f.ctx);
    t.equal(bad.exitCode, 3);
    await f.driver.releasePhase(bad.handle);
  });

  test('a phase over its timeout is stopped and marked timed out; an abort stops it as aborted', async (f, t) => {
    const slow = await f.driver.runPhase(f.phase('slow', 'sleep 30', { timeoutMs: 800 }), f.ctx);
    t.match(slow, { timedOut: true, aborted: false });
    t.not(slow.exitCode, 0);
    await f.driver.releasePhase(slow.handle);
    const ctx = f.context();
    setTimeout(() => ctx.abort.abort(), 500);
    const cancelled = await f.driver.runPhase(f.phase('cancelled', 'sleep 30'), ctx);
    t.match(cancelled, { aborted: true, timedOut: false });
    await f.driver.releasePhase(cancelled.handle);
    const service = await f.driver.startService(f.service('waiting', 'exec sleep 60'), f.ctx);
    const waitCtx = f.context();
    setTimeout(() => waitCtx.abort.abort(), 300);
    t.match(await f.driver.waitReady(service, { kind: 'tcp', port: f.port, ...TIMING }, waitCtx), {
      ready: false,
      reason: 'aborted',
    });
  });

  test('copy-out: present, missing, large and after a failed phase, each under the path the phase named', async (f, t) => {
    const dest = join(f.run.outDir, 'phases', 'copy');
    const script = `printf '%s' '${JUNIT}' > "$OUT/junit.xml"; mkdir -p "$OUT/old"; echo other > "$OUT/old/junit.xml"; head -c 8000000 /dev/zero > "$OUT/big.bin"; exit 1`;
    const outcome = await f.driver.runPhase(
      f.phase('copy', script, { outputs: ['/out/junit.xml', '/out/old/junit.xml', '/out/big.bin', '/out/none.xml'] }),
      f.ctx,
    );
    t.equal(outcome.exitCode, 1);
    const files = await f.driver.collect(
      outcome.handle,
      ['/out/junit.xml', '/out/old/junit.xml', '/out/big.bin', '/out/none.xml'],
      dest,
    );
    await f.driver.releasePhase(outcome.handle);
    t.match(files[0], {
      source: '/out/junit.xml',
      path: join(dest, 'files', 'out', 'junit.xml'),
      writtenByPhase: true,
    });
    t.match(files[1], {
      source: '/out/old/junit.xml',
      path: join(dest, 'files', 'out', 'old', 'junit.xml'),
      writtenByPhase: true,
    });
    t.equal(readFileSync(files[0]!.path!, 'utf8'), JUNIT, 'a file with the same name elsewhere did not replace it');
    t.equal(readFileSync(files[1]!.path!, 'utf8'), 'other\n');
    t.equal(statSync(files[2]!.path!).size, 8_000_000, 'a large file arrives whole');
    t.match(files[3], { source: '/out/none.xml', path: undefined, error: /none\.xml/ });
  });

  test('stale evidence: a results file that predates the phase is never "written by this phase", even with a future mtime', async (f, t) => {
    for (const futureMtime of [false, true]) {
      const { request, path } = await f.preexistingResults(`stale-${futureMtime}`, 'echo did nothing', futureMtime);
      const outcome = await f.driver.runPhase({ ...request, outputs: [path] }, f.ctx);
      t.equal(outcome.exitCode, 0);
      const [file] = await f.driver.collect(outcome.handle, [path], join(f.run.outDir, 'phases', request.name));
      await f.driver.releasePhase(outcome.handle);
      t.match(
        file,
        { source: path, writtenByPhase: false },
        `a baked file${futureMtime ? ' with a 2099 mtime' : ''} is stale`,
      );
    }
    const { request, path } = await f.preexistingResults(
      'rewrites',
      'cat "$RESULTS" > "/tmp/r-$$" && cat "/tmp/r-$$" > "$RESULTS"',
      true,
    );
    const outcome = await f.driver.runPhase({ ...request, env: { RESULTS: path }, outputs: [path] }, f.ctx);
    const [file] = await f.driver.collect(outcome.handle, [path], join(f.run.outDir, 'phases', 'rewrites'));
    await f.driver.releasePhase(outcome.handle);
    t.match(file, { writtenByPhase: true }, 'the same file rewritten by the phase counts');
  });

  test('stale evidence across attempts: what attempt 1 wrote does not count for attempt 2', async (f, t) => {
    const folder = f.persistentFolder();
    const results = `${folder.path}/junit.xml`;
    const first = await f.driver.runPhase(
      f.phase('retry', `printf '%s' '${JUNIT}' > ${results}; exit 1`, { ...folder.extra, outputs: [results] }),
      f.ctx,
    );
    const [one] = await f.driver.collect(first.handle, [results], join(f.run.outDir, 'phases', 'retry-1'));
    await f.driver.releasePhase(first.handle);
    t.match(one, { writtenByPhase: true });
    await new Promise((r) => setTimeout(r, 20));
    const second = await f.driver.runPhase(
      f.phase('retry', 'exit 0', { ...folder.extra, attempt: 2, outputs: [results] }),
      f.ctx,
    );
    const [two] = await f.driver.collect(second.handle, [results], join(f.run.outDir, 'phases', 'retry-2'));
    await f.driver.releasePhase(second.handle);
    t.match(two, { writtenByPhase: false }, 'attempt 2 wrote nothing');
  });

  test('a prepared phase runs as it would have; what an earlier phase wrote meanwhile is not its evidence', async (f, t) => {
    const folder = f.persistentFolder();
    const results = `${folder.path}/junit.xml`;
    const request = f.phase('ahead', 'echo "hello $GREETING"; exit 4', {
      ...folder.extra,
      env: { GREETING: 'ahead' },
      outputs: [results],
    });
    const prepared = await f.driver.preparePhase(request, f.context());
    // An earlier phase writes the results file after the later one was prepared, before it starts.
    const earlier = await f.driver.runPhase(
      f.phase('earlier', `printf '%s' '${JUNIT}' > ${results}`, { ...folder.extra, outputs: [results] }),
      f.ctx,
    );
    await f.driver.releasePhase(earlier.handle);
    await new Promise((r) => setTimeout(r, 20));
    const ctx = f.context();
    const outcome = await f.driver.runPhase(request, ctx, prepared);
    t.match(outcome, { exitCode: 4, timedOut: false, aborted: false });
    t.same(outcome.logTail, ['hello ahead']);
    const [file] = await f.driver.collect(outcome.handle, [results], join(f.run.outDir, 'phases', 'ahead'));
    t.match(file, { writtenByPhase: false }, "the earlier phase's file is not the prepared phase's evidence");
    await f.driver.releasePhase(outcome.handle);
  });

  test('a prepared phase that never runs leaves nothing once released or cleaned up', async (f, t) => {
    const released = await f.driver.preparePhase(f.phase('skipped', 'exit 0'), f.ctx);
    await f.driver.releasePhase(released.handle);
    await f.driver.preparePhase(f.phase('cancelled', 'exit 0'), f.ctx);
    await f.driver.cleanupRun(f.run);
    t.equal(await f.leftovers([]), 0);
  });

  test('cleanup after faults leaves nothing of the run behind', async (f, t) => {
    const services: ServiceHandle[] = [];
    services.push(await f.driver.startService(f.service('left', 'exec sleep 60'), f.ctx));
    services.push(await f.driver.startService(f.service('crashed', 'exit 9'), f.ctx));
    const slow = await f.driver.runPhase(f.phase('timeout', 'sleep 30', { timeoutMs: 300 }), f.ctx);
    t.ok(slow.timedOut);
    const failed = await f.driver.runPhase(f.phase('failed', 'exit 2'), f.ctx);
    t.equal(failed.exitCode, 2);
    // No release, no stop: the run's cleanup must find everything on its own.
    await f.driver.cleanupRun(f.run);
    t.equal(await f.leftovers(services), 0);
  });

  test('concurrent phases and services of one run do not mix outputs', async (f, t) => {
    const names = ['c1', 'c2', 'c3'];
    const outcomes = await Promise.all(
      names.map((n) =>
        f.driver.runPhase(f.phase(n, `echo "${n}" > "$OUT/who.txt"; sleep 0.3`, { outputs: ['/out/who.txt'] }), f.ctx),
      ),
    );
    for (const [i, outcome] of outcomes.entries()) {
      const [file] = await f.driver.collect(outcome.handle, ['/out/who.txt'], join(f.run.outDir, 'phases', names[i]!));
      await f.driver.releasePhase(outcome.handle);
      t.equal(readFileSync(file!.path!, 'utf8'), `${names[i]}\n`);
    }
    const services = await Promise.all(names.map((n) => f.driver.startService(f.service(`s${n}`, HTTP_SERVER), f.ctx)));
    const ready = await Promise.all(
      services.map((s) => f.driver.waitReady(s, { kind: 'http', port: f.port, path: '/health', ...TIMING }, f.ctx)),
    );
    t.ok(
      ready.every((r) => r.ready),
      'services declaring the same port all start',
    );
  });
}

async function eventually<T>(read: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T | undefined> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined || Date.now() > until) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}
