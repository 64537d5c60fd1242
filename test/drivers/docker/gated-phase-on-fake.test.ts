/** Phases started ahead and held at a gate (phase-gate.ts), on the fake engine: what is made, when the command begins, fallbacks. */
import t from 'tap';
import { EngineError } from '../../../src/drivers/docker/engine/engine-error.js';
import { gateEntrypoint } from '../../../src/drivers/docker/phase-gate.js';
import { contextFor, fakeRun, IMAGE, onFake, phase } from './on-fake.js';

const SH = ['sh', '-c', 'npm test'];

async function setup(entrypoint?: string[]) {
  const { engine, driver } = onFake();
  if (entrypoint) engine.imagesByRef.set(IMAGE.ref, { id: IMAGE.ref, volumes: [], entrypoint });
  const run = fakeRun();
  await driver.createNetwork(run);
  return { engine, driver, run };
}

t.test('a phase that runs sh is started ahead at its gate; its command begins only at runPhase', async (t) => {
  const { engine, driver, run } = await setup(['docker-entrypoint.sh']);
  let began = 0;
  engine.onStart = (c) => {
    began++;
    setImmediate(() => {
      engine.emit(c.id, 'tests ran\n');
      engine.exit(c.id, 3);
    });
  };
  const prepared = await driver.preparePhase(phase('unit', { command: SH }), contextFor(run));
  const id = prepared.handle.id;
  const container = engine.container(id);
  t.equal(container.state, 'running', 'started ahead');
  t.match(container.spec, { command: SH, openStdin: true });
  t.same(container.spec.entrypoint?.slice(0, 2), ['sh', '-c'], 'the gate is a shell…');
  t.same(
    container.spec.entrypoint?.slice(3),
    ['testplan-gate', 'docker-entrypoint.sh'],
    "…that execs the image's entrypoint",
  );
  t.ok(engine.calls.indexOf(`attach ${id}`) < engine.calls.indexOf(`start ${id}`), 'attached (stdin too) before start');
  t.equal(began, 0, 'the command has not begun');
  t.equal(container.input, '');

  const ctx = contextFor(run);
  const outcome = await driver.runPhase(phase('unit', { command: SH }), ctx, prepared);
  t.equal(container.input, 'go\n', 'runPhase let it through the gate');
  t.equal(began, 1);
  t.match(outcome, { exitCode: 3, timedOut: false, aborted: false, handle: { id } });
  t.same(ctx.lines, [{ line: 'tests ran', stream: 'stdout' }], "its output is the run's");
  t.equal(
    engine.calls.filter((c) => c.startsWith(`create testplan-${run.runId}-phase`)).length,
    1,
    'no second container',
  );
  await driver.releasePhase(outcome.handle);
  t.notOk(engine.containersById.has(id));
});

t.test(
  'the gate puts nothing before a command that does not run sh, and keeps an image without entrypoint as is',
  async (t) => {
    t.equal(gateEntrypoint(undefined, ['run-tests']), undefined, 'exec form: created ahead only');
    t.equal(gateEntrypoint(['/entry'], ['bash', '-c', 'x']), undefined);
    const gate = gateEntrypoint(undefined, ['/bin/sh', '-c', 'make test'])!;
    t.equal(gate[0], '/bin/sh', 'the same shell the command runs');
    t.same(gate.slice(3), ['testplan-gate']);
    const { engine, driver, run } = await setup();
    const prepared = await driver.preparePhase(
      phase('unit', { command: ['/bin/sh', '-c', 'make test'] }),
      contextFor(run),
    );
    t.same(engine.container(prepared.handle.id).spec.command, ['/bin/sh', '-c', 'make test'], 'the command as it is');
  },
);

t.test('output a gated container writes before runPhase reaches the run, first', async (t) => {
  const { engine, driver, run } = await setup();
  engine.onStart = (c) => setImmediate(() => engine.exit(c.id, 0));
  const prepared = await driver.preparePhase(phase('unit', { command: SH }), contextFor(run));
  engine.emit(prepared.handle.id, 'early\n', 'stderr');
  const ctx = contextFor(run);
  await driver.runPhase(phase('unit', { command: SH }), ctx, prepared);
  t.same(ctx.lines, [{ line: 'early', stream: 'stderr' }]);
});

t.test(
  'a gated container that ended before its phase ran is replaced: the attempt runs in a new container',
  async (t) => {
    const { engine, driver, run } = await setup();
    const prepared = await driver.preparePhase(phase('unit', { command: SH }), contextFor(run));
    engine.exit(prepared.handle.id, 137); // killed behind our back (OOM, docker kill)
    await new Promise((r) => setImmediate(r));
    engine.onStart = (c) => setImmediate(() => engine.exit(c.id, 0));
    const outcome = await driver.runPhase(phase('unit', { command: SH }), contextFor(run), prepared);
    t.not(outcome.handle.id, prepared.handle.id);
    t.equal(outcome.exitCode, 0, "the dead gate's exit code is not the phase's");
    t.notOk(engine.containersById.has(prepared.handle.id), 'the dead one is removed');
    t.notOk(engine.container(outcome.handle.id).spec.openStdin, 'the new one starts the usual way');
  },
);

t.test('a gated container that cannot start: preparePhase fails, nothing is left', async (t) => {
  const { engine, driver, run } = await setup();
  engine.failOn('containers.start', () => new EngineError('exec: "sh": executable file not found in $PATH', 400));
  const err = await driver.preparePhase(phase('unit', { command: SH }), contextFor(run)).catch((e: unknown) => e);
  t.match(err, { code: 'PHASE_START_FAILED', message: /Phase "unit"/ });
  t.equal(engine.containersById.size, 0);
});

t.test('the timeout counts from the gate, not from the start ahead', async (t) => {
  const { engine, driver, run } = await setup();
  const prepared = await driver.preparePhase(phase('unit', { command: SH, timeoutMs: 200 }), contextFor(run));
  await new Promise((r) => setTimeout(r, 300)); // longer than the timeout, waiting at the gate
  engine.onStart = (c) => setTimeout(() => engine.exit(c.id, 0), 20);
  const outcome = await driver.runPhase(phase('unit', { command: SH, timeoutMs: 200 }), contextFor(run), prepared);
  t.match(outcome, { exitCode: 0, timedOut: false });
  t.notOk(engine.calls.includes(`kill ${prepared.handle.id}`));
});

t.test(
  'a phase whose mounts are not settled yet is created ahead, not started: a bind holds what it found at start',
  async (t) => {
    const { engine, driver, run } = await setup();
    const mounts = [{ source: '/work/dist', target: '/dist', readOnly: true }];
    const request = phase('test', { command: SH, mounts });
    const waiting = await driver.preparePhase(request, contextFor(run), { mountsSettled: false });
    t.equal(engine.container(waiting.handle.id).state, 'created');
    t.notOk(engine.container(waiting.handle.id).spec.openStdin, 'no gate');
    const settled = await driver.preparePhase({ ...request, name: 'docs' }, contextFor(run), { mountsSettled: true });
    t.equal(
      engine.container(settled.handle.id).state,
      'running',
      'started ahead once nothing before it can change them',
    );
    const unmounted = await driver.preparePhase(phase('lint', { command: SH }), contextFor(run), {
      mountsSettled: false,
    });
    t.equal(engine.container(unmounted.handle.id).state, 'running', 'no mounts: nothing to wait for');
  },
);
