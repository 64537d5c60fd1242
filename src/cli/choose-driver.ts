/** The composition root for drivers: the only place that knows which implementations exist. */
import type { Driver, DriverKind } from '../drivers/driver.js';

export const DRIVER_KINDS: readonly DriverKind[] = ['docker', 'local', 'swarm'];

/** Loads only the chosen driver: a Docker run never pays for zx, a local run never for dockerode. */
export async function createDriver(kind: DriverKind, planDir: string, env: NodeJS.ProcessEnv): Promise<Driver> {
  if (kind === 'docker') {
    const { DockerDriver } = await import('../drivers/docker/docker-driver.js');
    return new DockerDriver({ env });
  }
  if (kind === 'swarm') {
    const { SwarmDriver } = await import('../drivers/swarm/swarm-driver.js');
    return new SwarmDriver({ env });
  }
  const { LocalDriver } = await import('../drivers/local/local-driver.js');
  return new LocalDriver({ cwd: planDir });
}
