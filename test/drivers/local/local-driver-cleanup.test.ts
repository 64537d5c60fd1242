import t from 'tap';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalDriver } from '../../../src/drivers/local/local-driver.js';
import type { StartServiceRequest } from '../../../src/drivers/driver.js';
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
const service = (name: string, command: string): StartServiceRequest => ({
  name,
  image,
  env: {},
  ports: [],
  sharedNamespace: false,
  local: { command, env: {} },
});

async function pidsFrom(file: string): Promise<number[]> {
  await eventually(() => existsSync(file) && readFileSync(file, 'utf8').includes(' '));
  return readFileSync(file, 'utf8').split(' ').map(Number);
}

t.test(
  'cleanupRun kills every process group of the run, grandchildren included, and deletes phase folders',
  async (t) => {
    let hooks = 0;
    let uninstalled = 0;
    const driver = new LocalDriver({
      cwd: FIXTURES,
      baseEnv: userEnv(),
      graceMs: 300,
      installExitHook: () => {
        hooks += 1;
        return () => (uninstalled += 1);
      },
    });
    const ctx = stepContext();
    const other = stepContext();
    const pidFile = join(tempDir('local-test'), 'pids');
    const tree = await driver.startService(
      service('tree', `sh '${join(FIXTURES, 'spawn-tree.sh')}' '${pidFile}'; true`),
      ctx,
    );
    const web = await driver.startService(service('web', serverCommand('http')), ctx);
    const otherWeb = await driver.startService(service('web', serverCommand('http')), other);
    t.teardown(() => driver.cleanupRun(other.run));
    t.equal((await driver.waitReady(web, { ...TIMING, kind: 'log', pattern: 'ready on', times: 1 }, ctx)).ready, true);
    const phase = await driver.runPhase(
      {
        name: 'unit',
        role: 'phase',
        attempt: 1,
        image,
        command: [],
        env: {},
        mounts: [],
        sharedNamespace: false,
        local: { run: 'echo "$TESTPLAN_OUT"' },
      },
      ctx,
    );
    const phaseDir = phase.logTail[0] ?? '';
    const [child, grandchild] = await pidsFrom(pidFile);
    const webPid = Number(web.id.split(':').pop());
    const otherPid = Number(otherWeb.id.split(':').pop());
    t.ok(
      [child, grandchild, webPid, otherPid].every((pid) => pid && isAlive(pid)),
      'all running',
    );
    t.ok(existsSync(phaseDir));
    t.equal(hooks, 1, 'one exit hook while processes run');

    const report = await driver.cleanupRun(ctx.run);
    t.same(report, { containers: 2, networks: 0, volumes: 1 }, 'two process groups, one phase folder');
    for (const [what, pid] of [
      ['service', child],
      ['grandchild', grandchild],
      ['web', webPid],
    ] as const) {
      t.notOk(isAlive(pid ?? 0), `${what} is gone`);
    }
    t.notOk(existsSync(phaseDir), 'phase folder deleted');
    t.ok(isAlive(otherPid), 'another run is left alone');
    t.equal(uninstalled, 0, 'the hook stays while another run has processes');
    t.same(
      await driver.cleanupRun(ctx.run),
      { containers: 0, networks: 0, volumes: 0 },
      'a second cleanup finds nothing',
    );
    await driver.cleanupRun(other.run);
    t.notOk(isAlive(otherPid));
    t.equal(uninstalled, 1, 'the hook goes when nothing runs any more');
    t.match(tree.id, /^local:/, 'handle ids name the driver');
  },
);

t.test("the runner's exit hook SIGKILLs every live process group at once", async (t) => {
  let onExit: (() => void) | undefined;
  const driver = new LocalDriver({
    cwd: FIXTURES,
    baseEnv: userEnv(),
    installExitHook: (fn) => {
      onExit = fn;
      return () => undefined;
    },
  });
  const ctx = stepContext();
  t.teardown(() => driver.cleanupRun(ctx.run));
  const pidFile = join(tempDir('local-test'), 'pids');
  await driver.startService(service('tree', `sh '${join(FIXTURES, 'spawn-tree.sh')}' '${pidFile}'; true`), ctx);
  const pids = await pidsFrom(pidFile);
  t.ok(onExit, 'a hook was installed');
  onExit?.();
  t.ok(
    await eventually(() => pids.every((pid) => !isAlive(pid)), 2000),
    'the tree is gone, SIGTERM-proof shell included',
  );
});

t.test('describe, images, networks and prune under the local driver', async (t) => {
  const driver = new LocalDriver({ cwd: FIXTURES });
  const ctx = stepContext();
  const info = await driver.describe();
  t.equal(info.kind, 'local');
  t.match(info.engine, /^local processes \(node v\d+\.\d+\.\d+, linux \w+\)$/);
  const built = await driver.prepareImage(
    { kind: 'build', name: 'app', context: FIXTURES, dockerfile: 'Dockerfile', args: {} },
    ctx,
  );
  t.same(built, { name: 'app', ref: 'app', cached: true });
  const ref = await driver.resolveImageRef('redis:7', ctx);
  t.same(ref, { name: 'redis:7', ref: 'redis:7', cached: true });
  t.equal(ctx.lines.length, 2, 'one line per image');
  t.match(ctx.lines[0], /image "app" is ignored under --driver local/);
  await driver.createNetwork(ctx.run);
  await driver.removeNetwork(ctx.run);
  t.same(await driver.prune({ all: true }), { containers: 0, networks: 0, volumes: 0 });
});

t.test('a runner that exits without cleanup takes its service trees with it', async (t) => {
  const pidFile = join(tempDir('local-test'), 'pids');
  const out = execFileSync(NODE, ['--import', 'tsx', join(FIXTURES, 'runner-exits.ts'), pidFile], {
    env: userEnv(),
    encoding: 'utf8',
    timeout: 30_000,
  });
  const pids = out.trim().split(' ').map(Number);
  t.equal(pids.length, 2, `the tree was up: ${out.trim()}`);
  t.ok(await eventually(() => pids.every((pid) => !isAlive(pid)), 2000), 'service and grandchild are gone');
});
