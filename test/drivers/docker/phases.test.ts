import t, { type Test } from 'tap';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ImageHandle, RunIdentity } from '../../../src/drivers/driver.js';
import type { DockerDriver } from '../../../src/drivers/docker/docker-driver.js';
import { containerName } from '../../../src/drivers/docker/container-config.js';
import { resourceLabels } from '../../../src/drivers/docker/labels.js';
import { contextFor, fixtureImage, makeRun, newDriver, requireEngine, shPhase, testEngine } from './harness.js';
import { tempDir } from '../../helpers/temp-dir.js';

const phase = shPhase;

async function setup(t: Test): Promise<{ driver: DockerDriver; run: RunIdentity; image: ImageHandle }> {
  const driver = newDriver();
  const run = makeRun(t, driver);
  const image = await fixtureImage(driver, run, 'client');
  await driver.createNetwork(run);
  return { driver, run, image };
}

t.test('a phase streams its output line by line, keeps the tail, and reports its exit code', async (t) => {
  if (!requireEngine(t)) return;
  const { driver, run, image } = await setup(t);
  const ctx = contextFor(run);
  const dir = tempDir('mount');
  writeFileSync(join(dir, 'input.txt'), 'from the host\n');
  const outcome = await driver.runPhase(
    phase(
      image,
      'pwd; echo "$GREETING"; cat /data/input.txt; echo oops >&2; seq 1 300; printf "no newline at end"; exit 5',
      {
        env: { GREETING: 'hello env' },
        workdir: '/srv/app',
        mounts: [{ source: dir, target: '/data', readOnly: true }],
      },
    ),
    ctx,
  );
  t.match(outcome, { exitCode: 5, timedOut: false, aborted: false });
  t.ok(outcome.durationMs > 0);
  const stdout = ctx.lines.filter((l) => l.stream === 'stdout').map((l) => l.line);
  const stderr = ctx.lines.filter((l) => l.stream === 'stderr').map((l) => l.line);
  t.same(stdout.slice(0, 3), ['/srv/app', 'hello env', 'from the host'], 'workdir, env and the read-only mount');
  t.same(stderr, ['oops'], 'stderr kept apart');
  t.equal(stdout.length, 3 + 300 + 1, 'every line streamed, the last one without its newline too');
  t.equal(outcome.logTail.length, 200, 'the tail keeps the last 200 lines');
  // stdout and stderr are separate streams in the engine: compare the stdout part of the tail.
  const tailOut = outcome.logTail.filter((l) => l !== 'oops');
  t.equal(tailOut.at(-1), 'no newline at end');
  t.equal(tailOut.at(-2), '300');
  await driver.releasePhase(outcome.handle);

  const ok = await driver.runPhase(phase(image, 'true', { name: 'ok' }), contextFor(run));
  t.equal(ok.exitCode, 0);
  await driver.releasePhase(ok.handle);
});

t.test('a phase timeout kills it and its files can still be copied out', async (t) => {
  if (!requireEngine(t)) return;
  const { driver, run, image } = await setup(t);
  const outcome = await driver.runPhase(
    phase(
      image,
      'mkdir -p /out/cov && echo "<testsuite/>" > /out/junit.xml && echo 80 > /out/cov/lines.txt && echo written; exec sleep 60',
      {
        timeoutMs: 1500,
      },
    ),
    contextFor(run),
  );
  t.match(outcome, { timedOut: true, aborted: false });
  t.not(outcome.exitCode, 0);
  t.same(outcome.logTail, ['written']);

  const dest = tempDir('collect');
  const collected = await driver.collect(outcome.handle, ['/out/junit.xml', '/out/cov', '/out/missing.xml'], dest);
  t.same(collected[0], {
    source: '/out/junit.xml',
    path: join(dest, 'files', 'out', 'junit.xml'),
    writtenByPhase: true,
  });
  t.equal(readFileSync(join(dest, 'files', 'out', 'junit.xml'), 'utf8'), '<testsuite/>\n');
  t.same(collected[1], { source: '/out/cov', path: join(dest, 'files', 'out', 'cov'), writtenByPhase: true });
  t.equal(
    readFileSync(join(dest, 'files', 'out', 'cov', 'lines.txt'), 'utf8'),
    '80\n',
    'folders keep their names and contents',
  );
  t.match(collected[2], { source: '/out/missing.xml', error: /does not exist/ });
  t.notOk(collected[2]?.path);
  await driver.releasePhase(outcome.handle);
  const after = await driver.collect(outcome.handle, ['/out/junit.xml'], dest);
  t.match(after[0], { error: /container is gone/ }, 'after release the container is gone');
});

t.test('artifacts are copied out of a failed phase', async (t) => {
  if (!requireEngine(t)) return;
  const { driver, run, image } = await setup(t);
  const outcome = await driver.runPhase(
    phase(image, 'mkdir -p /out && echo "<failure/>" > /out/junit.xml; exit 1'),
    contextFor(run),
  );
  t.equal(outcome.exitCode, 1);
  const dest = tempDir('collect');
  const [junit] = await driver.collect(outcome.handle, ['/out/junit.xml'], dest);
  t.same(junit, { source: '/out/junit.xml', path: join(dest, 'files', 'out', 'junit.xml'), writtenByPhase: true });
  t.ok(existsSync(join(dest, 'files', 'out', 'junit.xml')));
  t.equal(readFileSync(join(dest, 'files', 'out', 'junit.xml'), 'utf8'), '<failure/>\n');
  await driver.releasePhase(outcome.handle);
});

t.test('aborting the run kills a running phase', async (t) => {
  if (!requireEngine(t)) return;
  const { driver, run, image } = await setup(t);
  const controller = new AbortController();
  const ctx = contextFor(run, controller.signal);
  const running = driver.runPhase(phase(image, 'echo started; exec sleep 60'), ctx);
  const started = performance.now();
  while (!ctx.lines.some((l) => l.line === 'started') && performance.now() - started < 10_000) {
    await new Promise((r) => setTimeout(r, 20));
  }
  controller.abort();
  const outcome = await running;
  t.match(outcome, { aborted: true, timedOut: false }, 'the abort ended the phase, not its 60 s sleep');
  t.not(outcome.exitCode, 0);
  await driver.releasePhase(outcome.handle);
});

t.test('a phase that cannot start is an infrastructure error naming it', async (t) => {
  if (!requireEngine(t)) return;
  const { driver, run, image } = await setup(t);
  const err = await driver.runPhase({ ...phase(image, 'true'), command: ['/no/such/binary'] }, contextFor(run)).then(
    () => undefined,
    (e: unknown) => e,
  );
  t.match(err, { code: 'PHASE_START_FAILED', message: /Phase "unit"/ });
});

t.test(
  'the die event gives the exit code: before wait answers, for a container that died before the call too',
  async (t) => {
    if (!requireEngine(t)) return;
    const { run, image } = await setup(t);
    const { containers } = testEngine();
    const create = (name: string, script: string) =>
      containers.create({
        name: containerName(run.runId, 'phase', name, 1),
        image: image.ref,
        command: ['sh', '-c', script],
        env: {},
        labels: resourceLabels(run, 'phase', name),
        placement: { network: `testplan-${run.runId}`, aliases: [] },
        publish: [],
        binds: [],
        anonymousVolumes: [],
      });

    const later = await create('later', 'sleep 0.2; exit 5');
    const died = containers.died(later);
    await containers.start(later);
    t.same(await died, { exitCode: 5 });
    t.same(await containers.wait(later), { exitCode: 5 }, 'the same code wait gives');

    const before = await create('before', 'exit 3');
    await containers.start(before);
    await containers.wait(before);
    t.same(await containers.died(before), { exitCode: 3 }, 'replayed from the engine');

    const running = await create('running', 'sleep 30');
    await containers.start(running);
    const stop = new AbortController();
    const watch = containers.died(running, stop.signal);
    setTimeout(() => stop.abort(), 100);
    await t.rejects(watch, 'an abort ends the watch');
    await containers.remove(running);
  },
);
