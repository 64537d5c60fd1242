/**
 * The Swarm driver under the conformance suite, on the 3-node swarm of scripts/swarm.sh: scripts run
 * under `sh -c` in testplan-node:20, pushed to the swarm's registry. A folder that outlives an attempt
 * is a bind mount of a host folder: the nodes share this machine's file system (on a real cluster, a
 * path every node mounts, e.g. NFS).
 */
import { LABEL } from '../../../src/drivers/docker/labels.js';
import { countLeftovers } from '../../../src/drivers/swarm/cleanup.js';
import { SwarmDriver } from '../../../src/drivers/swarm/swarm-driver.js';
import { makeRun } from '../../drivers/docker/harness.js';
import { requireSwarm } from '../../helpers/swarm.js';
import type { DriverAdapter } from '../adapter.js';
import { engineFixture } from './docker.js';

export const swarmAdapter: DriverAdapter = {
  name: 'swarm',
  async setup(t) {
    const env = requireSwarm(t);
    if (!env) return undefined;
    const driver = new SwarmDriver({ env: { ...process.env, ...env } });
    const run = makeRun(t, driver, 'conformance');
    return engineFixture(driver, run, async () => {
      const left = await countLeftovers(driver.manager, driver.swarm, await driver.nodes.all(), {
        [LABEL.run]: run.runId,
      });
      return left.services + left.containers + left.networks + left.volumes;
    });
  },
};
