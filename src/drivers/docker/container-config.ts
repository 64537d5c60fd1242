/** Pieces of container create options shared by services and phases. */
import type Dockerode from 'dockerode';

export function envList(env: Readonly<Record<string, string>>): string[] {
  return Object.entries(env).map(([k, v]) => `${k}=${v}`);
}

/**
 * The image's declared VOLUMEs as anonymous volumes that carry our labels, so a runner killed
 * before cleanup leaves volumes that `cleanupRun`/`prune` can still find by label.
 */
export function labelledVolumeMounts(
  volumes: readonly string[],
  labels: Readonly<Record<string, string>>,
): Dockerode.MountSettings[] {
  return volumes.map((target) => ({
    Type: 'volume' as const,
    Source: '', // empty: an anonymous volume, removed with its container (`v: true`)
    Target: target,
    VolumeOptions: { NoCopy: false, Labels: { ...labels }, DriverConfig: { Name: 'local', Options: {} } },
  }));
}

/** `container:<id>` joins a shared namespace; otherwise the run network with aliases. */
export function networkPlacement(
  network: string,
  aliases: readonly string[],
  namespaceOwner: string | undefined,
): { NetworkMode: string; NetworkingConfig?: Dockerode.ContainerCreateOptions['NetworkingConfig'] } {
  if (namespaceOwner) return { NetworkMode: `container:${namespaceOwner}` };
  return {
    NetworkMode: network,
    NetworkingConfig: { EndpointsConfig: { [network]: { Aliases: [...aliases] } } },
  };
}

/** Container names must be unique on the engine: run id + role + name (+ attempt). */
export function containerName(runId: string, ...parts: readonly (string | number)[]): string {
  return ['testplan', runId, ...parts]
    .map(String)
    .join('-')
    .replace(/[^a-zA-Z0-9_.-]+/g, '-')
    .slice(0, 200);
}
