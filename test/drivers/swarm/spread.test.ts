/**
 * A sharded-like plan (four phases at once, each using a service) through `plan run --driver swarm`
 * on the 3-node swarm of scripts/swarm.sh: green with every phase's tests counted, tasks placed on
 * more than one node (task NodeIDs, watched while it runs), and nothing of the run left on any node
 * after success, failure and Ctrl-C.
 */
import t, { type Test } from 'tap';
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LABEL } from '../../../src/drivers/docker/labels.js';
import { countLeftovers } from '../../../src/drivers/swarm/cleanup.js';
import { SwarmDriver } from '../../../src/drivers/swarm/swarm-driver.js';
import { currentTask } from '../../../src/drivers/swarm/tasks.js';
import { readResults, runCli, sleep, tempDir, waitForOutput, writePlan } from '../../cli/e2e-helpers.js';
import { requireSwarm, type SwarmEnv } from '../../helpers/swarm.js';

const SHARDS = ['shard-1', 'shard-2', 'shard-3', 'shard-4'];
const WEB = `exec node -e "require('http').createServer((q, r) => r.end('ok')).listen(7000, () => console.log('listening'))"`;

function shardedPlan(name: string, failing?: string, sleepS = 1): Record<string, unknown> {
  const phase = (shard: string) => ({
    image: 'testplan-node:20',
    services: ['web'],
    env: { WEB: 'http://${web.host}:${web.port}/' },
    run:
      `mkdir -p /out && node -e "fetch(process.env.WEB).then((r) => r.text()).then((b) => { if (b !== 'ok') process.exit(9); })" && ` +
      `echo "running ${shard}" && sleep ${sleepS} && ` +
      `printf '<testsuites><testsuite name="${shard}" tests="2"><testcase classname="${shard}" name="a"/><testcase classname="${shard}" name="b"/></testsuite></testsuites>' > /out/junit.xml` +
      (shard === failing ? ' && exit 1' : ''),
    results: { junit: '/out/junit.xml' },
  });
  return {
    name,
    services: {
      web: {
        image: 'testplan-node:20',
        command: ['sh', '-c', WEB],
        ports: [7000],
        ready: { http: { port: 7000, path: '/' } },
      },
    },
    phases: Object.fromEntries(SHARDS.map((s) => [s, phase(s)])),
  };
}

/** Every node a task of the plan's services and phases ran on, watched until `done` settles. */
async function watchPlacement(driver: SwarmDriver, plan: string, done: Promise<unknown>): Promise<Set<string>> {
  const nodes = new Set<string>();
  let finished = false;
  void done.finally(() => (finished = true));
  while (!finished) {
    const services = await driver.swarm.listServices({ [LABEL.plan]: plan }).catch(() => []);
    for (const s of services) {
      const task = await currentTask(driver.swarm, s.id).catch(() => undefined);
      if (task?.nodeId && s.labels[LABEL.role] === 'phase') nodes.add(task.nodeId);
    }
    await sleep(100);
  }
  return nodes;
}

async function leftovers(driver: SwarmDriver, plan: string): Promise<number> {
  const left = await countLeftovers(driver.manager, driver.swarm, await driver.nodes.all(), { [LABEL.plan]: plan });
  return left.services + left.containers + left.networks + left.volumes;
}

function setup(t: Test): { env: SwarmEnv; driver: SwarmDriver } | undefined {
  const env = requireSwarm(t);
  if (!env) return undefined;
  return { env, driver: new SwarmDriver({ env: { ...process.env, ...env } }) };
}

t.test('four phases at once: green, spread over more than one node, nothing left', async (t) => {
  const s = setup(t);
  if (!s) return;
  const name = 'e2e-swarm-spread';
  const out = tempDir('swarm-spread');
  // The registry from --registry (not the environment).
  const args = ['run', writePlan(shardedPlan(name)), '--driver', 'swarm', '--registry', s.env.TESTPLAN_SWARM_REGISTRY];
  const running = runCli([...args, '--out', out], {
    env: { DOCKER_HOST: s.env.DOCKER_HOST, TESTPLAN_SWARM_REGISTRY: '' },
  });
  const nodes = await watchPlacement(s.driver, name, running);
  const res = await running;
  t.equal(res.code, 0, `exit 0\n${res.stdout}\n${res.stderr}`);
  const results = readResults(out);
  t.equal(results.verdict, 'passed');
  t.match(results.driver, { kind: 'swarm', engine: new RegExp(`registry ${s.env.TESTPLAN_SWARM_REGISTRY}`) });
  for (const shard of SHARDS)
    t.match(
      results.phases.find((p) => p.name === shard),
      { status: 'passed' },
      shard,
    );
  t.equal(results.tests.passed, SHARDS.length * 2, 'every shard reported its two tests');
  t.ok(nodes.size > 1, `phase tasks ran on ${nodes.size} nodes (${[...nodes].join(', ')})`);
  t.equal(await leftovers(s.driver, name), 0, 'no service, container, network or volume left on any node');
});

t.test('a failing phase: exit 1, nothing left', async (t) => {
  const s = setup(t);
  if (!s) return;
  const name = 'e2e-swarm-fails';
  const out = tempDir('swarm-fails');
  const res = await runCli(['run', writePlan(shardedPlan(name, 'shard-3')), '--driver', 'swarm', '--out', out], {
    env: { ...s.env },
  });
  t.equal(res.code, 1, `exit 1\n${res.stderr}`);
  t.match(
    readResults(out).phases.find((p) => p.name === 'shard-3'),
    { status: 'failed' },
  );
  t.equal(await leftovers(s.driver, name), 0, 'nothing left on any node');
});

t.test('Ctrl-C while the phases run: exit 130, nothing left on any node', async (t) => {
  const s = setup(t);
  if (!s) return;
  const name = 'e2e-swarm-sigint';
  const out = tempDir('swarm-sigint');
  let child: ChildProcess | undefined;
  let midRun = -1;
  const res = await runCli(
    ['run', writePlan(shardedPlan(name, undefined, 60)), '--driver', 'swarm', '--verbose', '--out', out],
    {
      env: { ...s.env },
      onSpawn: (c) => {
        child = c;
        void waitForOutput(c, /running shard-/)
          .then(async () => {
            midRun = await leftovers(s.driver, name);
            child?.kill('SIGINT');
          })
          .catch((err: unknown) => t.fail(String(err)));
      },
    },
  );
  t.ok(midRun > 0, `the run had resources on the swarm mid-run (${midRun})`);
  t.equal(res.code, 130, `exit 130\n${res.stderr}`);
  t.equal(readResults(out).verdict, 'interrupted');
  t.equal(await leftovers(s.driver, name), 0, 'nothing left on any node');
});

t.test('a sharded phase on the swarm: files split over 3 shards, a web service per shard, counts merged', async (t) => {
  const s = setup(t);
  if (!s) return;
  const name = 'e2e-swarm-shards';
  const out = tempDir('swarm-shards');
  // Bind-mounted: the nodes of scripts/swarm.sh share this machine's file system.
  const suite = tempDir('swarm-shard-suite');
  const FILES = 6;
  for (let i = 1; i <= FILES; i++)
    writeFileSync(
      join(suite, `t${i}.test.mjs`),
      `import test from 'node:test';\nimport assert from 'node:assert';\n` +
        `test('file ${i} reaches its own web', async () => {\n` +
        `  assert.equal(await (await fetch(process.env.WEB)).text(), 'ok');\n});\n` +
        `test('file ${i} second', () => {});\n`,
    );
  const plan = {
    name,
    services: {
      web: {
        image: 'testplan-node:20',
        command: ['sh', '-c', WEB],
        ports: [7000],
        ready: { http: { port: 7000, path: '/' } },
      },
    },
    phases: {
      suite: {
        image: 'testplan-node:20',
        services: ['web'],
        mounts: [{ source: suite, target: '/suite', readOnly: true }],
        workdir: '/suite',
        shard: { count: 3, files: '*.test.mjs' },
        env: { WEB: 'http://${web.host}:${web.port}/' },
        run: 'mkdir -p /out && node --test --test-reporter=junit --test-reporter-destination=/out/junit.xml $TESTPLAN_SHARD_FILES',
        results: { junit: '/out/junit.xml' },
      },
    },
  };
  // Where Swarm places three short tasks is its choice (the four-phase test above asserts the spread).
  const res = await runCli(['run', writePlan(plan), '--driver', 'swarm', '--out', out], { env: { ...s.env } });
  t.equal(res.code, 0, `exit 0\n${res.stdout}\n${res.stderr}`);
  const results = readResults(out);
  const phase = results.phases.find((p) => p.name === 'suite')!;
  t.match(phase, { status: 'passed', counts: { passed: FILES * 2, failed: 0 } }, 'every test of every shard, merged');
  t.equal(phase.shards?.list.length, 3, 'three shards ran');
  t.equal(await leftovers(s.driver, name), 0, 'no service, container, network or volume left on any node');
});
