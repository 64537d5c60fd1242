/**
 * Phases started ahead at a gate (phase-gate.ts) on the real engine: the command runs as it would have
 * in a container started the usual way (entrypoint, PID 1, stdin, output, exit code), a gate that died
 * is replaced, and the timeout counts from the gate.
 */
import t, { type Test } from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ImageHandle, RunIdentity, RunPhaseRequest } from '../../../src/drivers/driver.js';
import type { DockerDriver } from '../../../src/drivers/docker/docker-driver.js';
import {
  contextFor,
  countLabelled,
  fixtureImage,
  makeRun,
  newDriver,
  requireEngine,
  shPhase,
  testEngine,
} from './harness.js';
import { tempDir } from '../../helpers/temp-dir.js';

const phase = (image: ImageHandle, script: string, extra: Partial<RunPhaseRequest> = {}) =>
  shPhase(image, script, { env: { GREETING: 'hello' }, ...extra });

/** The client fixture with an ENTRYPOINT that prints and then execs its arguments, as many images' do. */
async function imageWithEntrypoint(driver: DockerDriver, run: RunIdentity): Promise<ImageHandle> {
  await fixtureImage(driver, run, 'client');
  const context = tempDir('entrypoint');
  writeFileSync(
    join(context, 'Dockerfile'),
    'FROM testplan-fixture/client:latest\nENTRYPOINT ["/bin/sh", "-c", "echo entrypoint ran; exec \\"$@\\"", "entry"]\n',
  );
  return driver.prepareImage(
    { kind: 'build', name: 'gated-entrypoint', context, dockerfile: 'Dockerfile', args: {} },
    contextFor(run),
  );
}

async function setup(t: Test) {
  const driver = newDriver();
  const run = makeRun(t, driver);
  await driver.createNetwork(run);
  return { driver, run };
}

// What the command sees of its container: PID 1, a gate process left over, stdin, env, working folder.
const SELF_PORTRAIT = [
  'echo "pid 1: $(tr "\\0" " " </proc/1/cmdline)"',
  'echo "gate processes: $(grep -l "testplan-[g]ate" /proc/[0-9]*/cmdline 2>/dev/null | wc -l)"',
  'cat; echo "stdin ended"',
  'echo "$GREETING from $(pwd)"',
  'echo to stderr >&2',
  'exit 7',
].join('; ');

t.test('a phase started ahead at its gate runs as it would have in a container started the usual way', async (t) => {
  if (!requireEngine(t)) return;
  const { driver, run } = await setup(t);
  const image = await imageWithEntrypoint(driver, run);

  const coldCtx = contextFor(run);
  const cold = await driver.runPhase(phase(image, SELF_PORTRAIT), coldCtx);
  await driver.releasePhase(cold.handle);

  const request = phase(image, SELF_PORTRAIT, { attempt: 2 });
  const prepared = await driver.preparePhase(request, contextFor(run));
  const container = await testEngine().containers.inspect(prepared.handle.id);
  t.ok(container.running, 'started ahead');
  await new Promise((r) => setTimeout(r, 200)); // the command must not have begun: nothing printed yet
  const warmCtx = contextFor(run);
  const warm = await driver.runPhase(request, warmCtx, prepared);
  t.equal(warm.handle.id, prepared.handle.id, 'the prepared container ran the phase');

  t.equal(warm.exitCode, 7);
  t.equal(cold.exitCode, 7);
  // Each stream in order (the engine keeps no order between stdout and stderr).
  const stream = (lines: typeof warmCtx.lines, name: 'stdout' | 'stderr') =>
    lines.filter((l) => l.stream === name).map((l) => l.line);
  t.same(stream(warmCtx.lines, 'stdout'), stream(coldCtx.lines, 'stdout'), 'the same output, line for line');
  t.same(stream(warmCtx.lines, 'stderr'), ['to stderr']);
  t.same(stream(coldCtx.lines, 'stderr'), ['to stderr']);
  t.match(
    stream(warmCtx.lines, 'stdout'),
    ['entrypoint ran', /^pid 1: sh -c /, 'gate processes: 0', 'stdin ended', 'hello from /'],
    "the image's entrypoint ran first, the command is PID 1, nothing of the gate is left, stdin is empty",
  );
  await driver.releasePhase(warm.handle);
});

t.test('a gated container killed before its phase runs is replaced by a new one', async (t) => {
  if (!requireEngine(t)) return;
  const { driver, run } = await setup(t);
  const image = await fixtureImage(driver, run, 'client');
  const request = phase(image, 'echo ran; exit 3');
  const prepared = await driver.preparePhase(request, contextFor(run));
  await testEngine().containers.kill(prepared.handle.id);
  await testEngine().containers.wait(prepared.handle.id);
  await new Promise((r) => setTimeout(r, 100)); // its output stream has ended
  const ctx = contextFor(run);
  const outcome = await driver.runPhase(request, ctx, prepared);
  t.not(outcome.handle.id, prepared.handle.id);
  t.equal(outcome.exitCode, 3, "the phase's own exit code, not the killed gate's 137");
  t.same(ctx.lines, [{ line: 'ran', stream: 'stdout' }]);
  await driver.releasePhase(outcome.handle);
  t.equal((await countLabelled(run.runId)).containers, 0, 'the killed one was removed too');
});

t.test('a gated phase: its timeout counts from the gate, and it is enforced', async (t) => {
  if (!requireEngine(t)) return;
  const { driver, run } = await setup(t);
  const image = await fixtureImage(driver, run, 'client');
  const quick = phase(image, 'sleep 0.2', { name: 'quick', timeoutMs: 800 });
  const slow = phase(image, 'sleep 30', { name: 'slow', timeoutMs: 800 });
  const [preparedQuick, preparedSlow] = await Promise.all([
    driver.preparePhase(quick, contextFor(run)),
    driver.preparePhase(slow, contextFor(run)),
  ]);
  await new Promise((r) => setTimeout(r, 1000)); // longer than the timeout, at the gate
  const quickOutcome = await driver.runPhase(quick, contextFor(run), preparedQuick);
  t.match(quickOutcome, { exitCode: 0, timedOut: false });
  const slowOutcome = await driver.runPhase(slow, contextFor(run), preparedSlow);
  t.match(slowOutcome, { timedOut: true });
  await Promise.all([driver.releasePhase(quickOutcome.handle), driver.releasePhase(slowOutcome.handle)]);
});
