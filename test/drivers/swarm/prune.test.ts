/**
 * `plan prune --driver swarm`: what a runner that died left on the swarm (services, task containers on
 * their nodes, the overlay network) is removed from every node; a run whose runner lives is left alone.
 */
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import type { RunIdentity } from '../../../src/drivers/driver.js';
import { LABEL } from '../../../src/drivers/docker/labels.js';
import { countLeftovers } from '../../../src/drivers/swarm/cleanup.js';
import { SwarmDriver } from '../../../src/drivers/swarm/swarm-driver.js';
import { contextFor } from '../docker/harness.js';
import { runCli } from '../../cli/e2e-helpers.js';
import { requireSwarm } from '../../helpers/swarm.js';
import { tempDir } from '../../helpers/temp-dir.js';

const PLAN = 'e2e-swarm-prune';

function runOf(runId: string, pid: number): RunIdentity {
  return {
    runId,
    plan: PLAN,
    labels: { [LABEL.run]: runId, [LABEL.plan]: PLAN, [LABEL.pid]: String(pid), [LABEL.host]: hostname() },
    outDir: tempDir(runId),
  };
}

t.test(
  'prune removes a dead runner’s services, containers and network from every node; a live run stays',
  async (t) => {
    const env = requireSwarm(t);
    if (!env) return;
    const driver = new SwarmDriver({ env: { ...process.env, ...env } });
    const deadPid = spawnSync('true').pid ?? 999_999;
    const dead = runOf(`pd${Date.now().toString(36)}`, deadPid);
    const live = runOf(`pl${Date.now().toString(36)}`, process.pid);
    t.teardown(() => driver.cleanupRun(live));
    t.teardown(() => driver.cleanupRun(dead));
    for (const run of [dead, live]) {
      const ctx = contextFor(run);
      await driver.createNetwork(run);
      const image = await driver.resolveImageRef('testplan-node:20', ctx);
      await driver.startService(
        { name: 'svc', image, command: ['sleep', '60'], env: {}, ports: [], sharedNamespace: false },
        ctx,
      );
      // Ended, never released: its task's container stays on its node.
      await driver.runPhase(
        {
          name: 'ph',
          role: 'phase',
          attempt: 1,
          image,
          command: ['true'],
          env: {},
          mounts: [],
          sharedNamespace: false,
        },
        ctx,
      );
    }
    const count = async (run: RunIdentity) => {
      const l = await countLeftovers(driver.manager, driver.swarm, await driver.nodes.all(), {
        [LABEL.run]: run.runId,
      });
      return l.services + l.containers + l.networks + l.volumes;
    };
    t.ok((await count(dead)) >= 5, 'the dead run had services, containers and a network');
    const res = await runCli(['prune', '--driver', 'swarm', '--plan', PLAN], { env: { ...env } });
    t.equal(res.code, 0, `prune exits 0\n${res.stdout}${res.stderr}`);
    t.equal(await count(dead), 0, 'nothing of the dead run is left on any node');
    t.ok((await count(live)) >= 5, 'the live run is untouched');
  },
);
