/** The composition root for drivers: the only place that knows which implementations exist. */
import type { Driver, DriverKind } from '../drivers/driver.js';
import { DockerDriver } from '../drivers/docker/docker-driver.js';
import { LocalDriver } from '../drivers/local/local-driver.js';

export const DRIVER_KINDS: readonly DriverKind[] = ['docker', 'local'];

export function createDriver(kind: DriverKind, planDir: string, env: NodeJS.ProcessEnv): Driver {
  return kind === 'docker' ? new DockerDriver({ env }) : new LocalDriver({ cwd: planDir });
}
