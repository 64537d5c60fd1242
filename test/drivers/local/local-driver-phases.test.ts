import t from 'tap';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalDriver } from '../../../src/drivers/local/local-driver.js';
import type { RunPhaseRequest } from '../../../src/drivers/driver.js';
import { InfrastructureError } from '../../../src/errors.js';
import {
  FIXTURES,
  NODE,
  TIMING,
  eventually,
  isAlive,
  serverCommand,
  stepContext,
  tempDir,
  userEnv,
} from './real-process-helpers.js';

const image = { name: 'app', ref: 'app', cached: true };

function phase(name: string, run: string | undefined, extra: Partial<RunPhaseRequest> = {}): RunPhaseRequest {
  return {
    name,
    role: 'phase',
    attempt: 1,
    image,
    command: ['sh', '-c', 'echo container command'],
    env: {},
    mounts: [],
    sharedNamespace: false,
    ...(run === undefined ? {} : { local: { run } }),
    ...extra,
  };
}

function setup(t: { teardown: (fn: () => unknown) => void }) {
  const driver = new LocalDriver({ cwd: FIXTURES, baseEnv: userEnv() });
  const ctx = stepContext();
  t.teardown(() => driver.cleanupRun(ctx.run));
  return { driver, ctx };
}

t.test('a passing phase: exit 0, its lines streamed to onLog and kept in the tail', async (t) => {
  const { driver, ctx } = setup(t);
  const outcome = await driver.runPhase(phase('unit', 'echo one; pwd; echo to-stderr >&2'), ctx);
  t.equal(outcome.exitCode, 0);
  t.same(outcome.logTail.slice(0, 2), ['one', FIXTURES], 'runs in the plan folder');
  t.ok(outcome.logTail.includes('to-stderr'), 'stderr is kept too');
  t.same([...ctx.lines].sort(), ['one', FIXTURES, 'to-stderr'].sort());
  t.equal(outcome.timedOut, false);
  t.equal(outcome.aborted, false);
});

t.test('a failing phase reports its exit code and keeps only the last 200 lines', async (t) => {
  const { driver, ctx } = setup(t);
  const outcome = await driver.runPhase(
    phase('unit', 'i=0; while [ $i -lt 250 ]; do i=$((i+1)); echo line $i; done; exit 7'),
    ctx,
  );
  t.equal(outcome.exitCode, 7);
  t.equal(outcome.logTail.length, 200);
  t.equal(outcome.logTail[0], 'line 51');
  t.equal(outcome.logTail[199], 'line 250');
  t.equal(ctx.lines.length, 250, 'every line is streamed');
});

t.test('without local.run the phase command runs, argument by argument', async (t) => {
  const { driver, ctx } = setup(t);
  const outcome = await driver.runPhase(phase('unit', undefined, { command: ['printf', '%s|', "it's", 'a b'] }), ctx);
  t.equal(outcome.exitCode, 0);
  t.same(outcome.logTail, ["it's|a b|"]);
});

t.test('local.workdir is relative to the plan folder; a missing one says what to fix', async (t) => {
  const { driver, ctx } = setup(t);
  const dir = tempDir('local-test');
  const inDir = await driver.runPhase(phase('unit', undefined, { command: ['pwd'], local: { workdir: dir } }), ctx);
  t.same(inDir.logTail, [dir]);
  const err = await driver
    .runPhase(phase('unit', 'true', { local: { run: 'true', workdir: 'no-such-folder' } }), ctx)
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  t.ok(err instanceof InfrastructureError);
  if (err instanceof InfrastructureError) {
    t.equal(err.code, 'LOCAL_WORKDIR_MISSING');
    t.match(err.message, /phases\.unit\.local\.workdir/);
  }
});

t.test('a phase reaches a service through ${service.host}:${service.port} resolved env', async (t) => {
  const { driver, ctx } = setup(t);
  const service = await driver.startService(
    {
      name: 'api',
      image,
      env: { GREETING_NAME: 'api' },
      ports: [8080],
      sharedNamespace: false,
      local: { command: serverCommand('http'), env: {} },
    },
    ctx,
  );
  t.equal((await driver.waitReady(service, { ...TIMING, kind: 'http', port: 8080, path: '/health' }, ctx)).ready, true);
  // What the executor resolves `http://${api.host}:${api.port}/greeting` to under this driver:
  const env = { API_URL: `http://${service.host}:${service.port}/greeting` };
  const script = `'${NODE}' -e 'fetch(process.env.API_URL).then(r => r.text()).then(console.log)'`;
  const outcome = await driver.runPhase(phase('integration', script, { env }), ctx);
  t.equal(outcome.exitCode, 0);
  t.same(outcome.logTail, ['hello from api']);
});

t.test('a timeout kills the whole process tree: SIGTERM, then SIGKILL after 2 s', async (t) => {
  const { driver, ctx } = setup(t);
  const pids = join(tempDir('local-test'), 'pids');
  // `; true` keeps the phase shell from exec-ing the script: shell → script shell → sleep.
  const script = `sh '${join(FIXTURES, 'spawn-tree.sh')}' '${pids}'; true`;
  const outcome = await driver.runPhase(phase('slow', script, { timeoutMs: 1000 }), ctx);
  t.equal(outcome.timedOut, true);
  t.equal(outcome.aborted, false);
  t.equal(outcome.exitCode, null);
  t.ok(outcome.logTail.includes('tree started'), 'the tree had started');
  t.ok(outcome.logTail.includes('ignoring SIGTERM'), 'SIGTERM came first');
  const [child, grandchild] = readFileSync(pids, 'utf8').split(' ').map(Number);
  t.ok(child && grandchild, 'pids recorded');
  t.notOk(isAlive(child ?? 0), 'the child is gone');
  t.notOk(isAlive(grandchild ?? 0), 'the grandchild is gone');
});

t.test('aborting the run stops a phase at once', async (t) => {
  const { driver, ctx } = setup(t);
  setTimeout(() => ctx.abort.abort(), 300);
  const outcome = await driver.runPhase(phase('slow', 'echo started; sleep 30'), ctx);
  t.equal(outcome.aborted, true);
  t.equal(outcome.timedOut, false);
  t.equal(outcome.exitCode, null);
  t.same(outcome.logTail, ['started'], 'the abort ended it: the sleep never finished');
});

t.test('a phase already aborted does not start', async (t) => {
  const { driver, ctx } = setup(t);
  ctx.abort.abort();
  const outcome = await driver.runPhase(phase('late', 'echo should not run'), ctx);
  t.equal(outcome.aborted, true);
  t.same(ctx.lines, []);
});

t.test('when the phase shell ends, what it left running is killed (like a container)', async (t) => {
  const { driver, ctx } = setup(t);
  const outcome = await driver.runPhase(phase('bg', 'sleep 300 >/dev/null 2>&1 & echo $!'), ctx);
  t.equal(outcome.exitCode, 0);
  const pid = Number(outcome.logTail[0]);
  t.ok(pid > 0);
  t.ok(await eventually(() => !isAlive(pid)), 'the background process is gone');
});

t.test('/out/ paths are collected from $TESTPLAN_OUT, also after a failure', async (t) => {
  const { driver, ctx } = setup(t);
  const dest = tempDir('local-test');
  const work = tempDir('local-test');
  const script =
    'mkdir -p "$TESTPLAN_OUT/html" && echo "<testsuites/>" > "$TESTPLAN_OUT/junit.xml" && echo "<p/>" > "$TESTPLAN_OUT/html/index.html" && echo rel > notes.txt && exit 1';
  const outcome = await driver.runPhase(phase('unit', script, { local: { run: script, workdir: work } }), ctx);
  t.equal(outcome.exitCode, 1);
  const files = await driver.collect(
    outcome.handle,
    ['/out/junit.xml', '/out/html', 'notes.txt', '/out/coverage.xml'],
    dest,
  );
  t.same(files.slice(0, 3), [
    { source: '/out/junit.xml', path: join(dest, 'files', 'out', 'junit.xml'), writtenByPhase: true },
    { source: '/out/html', path: join(dest, 'files', 'out', 'html'), writtenByPhase: true },
    { source: 'notes.txt', path: join(dest, 'workdir', 'notes.txt'), writtenByPhase: true },
  ]);
  t.equal(readFileSync(join(dest, 'files', 'out', 'junit.xml'), 'utf8'), '<testsuites/>\n');
  t.equal(readFileSync(join(dest, 'files', 'out', 'html', 'index.html'), 'utf8'), '<p/>\n');
  t.equal(files[3]?.path, undefined, 'a missing file has no path');
  t.match(files[3]?.error ?? '', /coverage\.xml was not written.*TESTPLAN_OUT/);

  await driver.releasePhase(outcome.handle);
  const after = await driver.collect(outcome.handle, ['/out/junit.xml'], dest);
  t.match(after[0]?.error ?? '', /released/, 'a released phase has nothing left to collect');
});

t.test('releasePhase deletes the TESTPLAN_OUT folder', async (t) => {
  const { driver, ctx } = setup(t);
  const outcome = await driver.runPhase(phase('unit', 'echo "$TESTPLAN_OUT"'), ctx);
  const outDir = outcome.logTail[0] ?? '';
  t.ok(existsSync(outDir), 'the folder exists while the phase is held');
  await driver.releasePhase(outcome.handle);
  t.notOk(existsSync(outDir), 'and is gone after release');
});
