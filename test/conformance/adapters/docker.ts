/** The Docker driver under the conformance suite: scripts run under `sh -c` in testplan-node:20. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Driver, RunIdentity, ServiceHandle } from '../../../src/drivers/driver.js';
import { contextFor, countLabelled, makeRun, newDriver, requireEngine } from '../../drivers/docker/harness.js';
import { recordingContext, type DriverAdapter, type Fixture, type RecordedContext } from '../adapter.js';
import { tempDir } from '../../helpers/temp-dir.js';

const BASE = 'testplan-node:20';
const PORT = 7000;
const PRELUDE = 'NODE=node; OUT=/out; mkdir -p /out; ';

export const dockerAdapter: DriverAdapter = {
  name: 'docker',
  async setup(t) {
    if (!requireEngine(t)) return undefined;
    const driver = newDriver();
    const run = makeRun(t, driver, 'conformance');
    return engineFixture(driver, run, async () => {
      const c = await countLabelled(run.runId);
      return c.containers + c.networks + c.volumes;
    });
  },
};

/**
 * The fixture of a driver that speaks the Docker Engine API (Docker, and Swarm through its manager):
 * its run network, `testplan-node:20` as the image, images baked by a build, a host folder bind-mounted
 * as the folder that outlives an attempt. `leftovers` counts what the run left, wherever the driver puts it.
 */
export async function engineFixture(
  driver: Driver,
  run: RunIdentity,
  leftovers: () => Promise<number>,
): Promise<Fixture> {
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
      const dir = tempDir('conformance-ctx');
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
      const dir = tempDir('conformance-persist');
      return { path: '/persist', extra: { mounts: [{ source: dir, target: '/persist', readOnly: false }] } };
    },
    leftovers: (_services: readonly ServiceHandle[]) => leftovers(),
  };
  return fixture;
}

export const PASSING_JUNIT =
  '<testsuites><testsuite name="s" tests="1"><testcase classname="c" name="passes"/></testsuite></testsuites>';
