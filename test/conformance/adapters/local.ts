/** The local driver under the conformance suite: scripts run under `sh -c` as host process groups. */
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceHandle } from '../../../src/drivers/driver.js';
import { LocalDriver } from '../../../src/drivers/local/local-driver.js';
import { isAlive, NODE, stepContext, tempDir, userEnv } from '../../drivers/local/real-process-helpers.js';
import { recordingContext, type DriverAdapter, type Fixture, type RecordedContext } from '../adapter.js';
import { PASSING_JUNIT } from './docker.js';

const PORT = 7000;
const PRELUDE = `NODE='${NODE}'; OUT="$TESTPLAN_OUT"; `;
const IMAGE = { name: 'host', ref: 'host', cached: true };

export const localAdapter: DriverAdapter = {
  name: 'local',
  async setup(t) {
    const work = tempDir('local-test');
    const driver = new LocalDriver({ cwd: work, baseEnv: userEnv(), tempRoot: tempDir('local-test'), graceMs: 500 });
    const run = { ...stepContext().run, outDir: tempDir('local-test') };
    t.teardown(() => driver.cleanupRun(run));
    const context = (): RecordedContext => recordingContext(run);
    const fixture: Fixture = {
      driver,
      run,
      ctx: context(),
      context,
      port: PORT,
      service: (name, script, env = {}) => ({
        name,
        image: IMAGE,
        env,
        ports: [PORT],
        sharedNamespace: false,
        local: { command: PRELUDE + script, env: {} },
      }),
      phase: (name, script, extra = {}) => ({
        name,
        role: 'phase',
        attempt: 1,
        image: IMAGE,
        command: ['sh', '-c', script],
        env: {},
        mounts: [],
        sharedNamespace: false,
        local: { run: PRELUDE + script },
        ...extra,
      }),
      async preexistingResults(name, script, futureMtime) {
        // No images here: the stale file is one left on disk where the phase's results path points.
        const dir = tempDir('local-test');
        const path = join(dir, 'junit.xml');
        writeFileSync(path, PASSING_JUNIT);
        if (futureMtime) utimesSync(path, new Date('2099-01-01'), new Date('2099-01-01'));
        return { request: fixture.phase(name, script), path };
      },
      persistentFolder() {
        const dir = join(tempDir('local-test'), 'persist');
        mkdirSync(dir);
        return { path: dir, extra: {} };
      },
      async leftovers(services: readonly ServiceHandle[]) {
        return services.filter((s) => isAlive(Number(s.id.split(':').at(-1)))).length;
      },
    };
    return fixture;
  },
};
