/**
 * The Swarm driver under the conformance suite, on the 3-node swarm of scripts/swarm.sh: scripts run
 * under `sh -c` in testplan-node:20, pushed to the swarm's registry. A folder that outlives an attempt
 * is a bind mount of a host folder: the nodes share this machine's file system (on a real cluster, a
 * path every node mounts, e.g. NFS).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunIdentity, ServiceHandle } from '../../../src/drivers/driver.js';
import { LABEL } from '../../../src/drivers/docker/labels.js';
import { countLeftovers } from '../../../src/drivers/swarm/cleanup.js';
import { SwarmDriver } from '../../../src/drivers/swarm/swarm-driver.js';
import { contextFor } from '../../drivers/docker/harness.js';
import { requireSwarm } from '../../helpers/swarm.js';
import { recordingContext, type DriverAdapter, type Fixture, type RecordedContext } from '../adapter.js';
import { PASSING_JUNIT } from './docker.js';

const BASE = 'testplan-node:20';
const PORT = 7000;
const PRELUDE = 'NODE=node; OUT=/out; mkdir -p /out; ';

export const swarmAdapter: DriverAdapter = {
  name: 'swarm',
  async setup(t) {
    const env = requireSwarm(t);
    if (!env) return undefined;
    const driver = new SwarmDriver({ env: { ...process.env, ...env } });
    const runId = `s${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
    const plan = 'conformance';
    const run: RunIdentity = {
      runId,
      plan,
      labels: { [LABEL.run]: runId, [LABEL.plan]: plan, [LABEL.pid]: String(process.pid), [LABEL.host]: hostname() },
      outDir: mkdtempSync(join(tmpdir(), `testplan-${runId}-`)),
    };
    t.teardown(() => driver.cleanupRun(run));
    await driver.createNetwork(run);
    const image = await driver.resolveImageRef(BASE, contextFor(run));
    const context = (): RecordedContext => recordingContext(run);
    const fixture: Fixture = {
      driver,
      run,
      ctx: context(),
      context,
      port: PORT,
      service: (name, script, env = {}) => ({
        name,
        image,
        command: ['sh', '-c', PRELUDE + script.split('${port}').join(String(PORT))],
        env,
        ports: [PORT],
        sharedNamespace: false,
      }),
      phase: (name, script, extra = {}) => ({
        name,
        role: 'phase',
        attempt: 1,
        image,
        command: ['sh', '-c', PRELUDE + script],
        env: {},
        mounts: [],
        sharedNamespace: false,
        ...extra,
      }),
      async preexistingResults(name, script, futureMtime) {
        const dir = mkdtempSync(join(tmpdir(), 'testplan-conformance-ctx-'));
        t.teardown(() => rmSync(dir, { recursive: true, force: true }));
        const touch = futureMtime ? ' && touch -d 2099-01-01 /out/junit.xml' : '';
        writeFileSync(
          join(dir, 'Dockerfile'),
          `FROM ${BASE}\nRUN mkdir -p /out && printf '%s' '${PASSING_JUNIT}' > /out/junit.xml${touch}\n`,
        );
        const baked = await driver.prepareImage(
          {
            kind: 'build',
            name: `baked-${futureMtime ? 'future' : 'now'}`,
            context: dir,
            dockerfile: 'Dockerfile',
            args: {},
          },
          contextFor(run),
        );
        return { request: { ...fixture.phase(name, script), image: baked }, path: '/out/junit.xml' };
      },
      persistentFolder() {
        const dir = mkdtempSync(join(tmpdir(), 'testplan-conformance-persist-'));
        t.teardown(() => rmSync(dir, { recursive: true, force: true }));
        return { path: '/persist', extra: { mounts: [{ source: dir, target: '/persist', readOnly: false }] } };
      },
      async leftovers(_services: readonly ServiceHandle[]) {
        const left = await countLeftovers(driver.manager, driver.swarm, await driver.nodes.all(), {
          [LABEL.run]: runId,
        });
        return left.services + left.containers + left.networks + left.volumes;
      },
    };
    return fixture;
  },
};
