/** Creates and starts a service container: run network + alias, dynamic published ports, labels. */
import type Dockerode from 'dockerode';
import { InfrastructureError } from '../../errors.js';
import type { RunIdentity, ServiceHandle, StartServiceRequest } from '../driver.js';
import { containerName, envList, labelledVolumeMounts, networkPlacement } from './container-config.js';
import { resourceLabels } from './labels.js';

export interface StartedService {
  readonly handle: ServiceHandle;
  /** Address of the container on the run network (reachable from this host on Linux). */
  readonly ip?: string;
}

export interface StartServiceOptions {
  readonly network: string;
  /** Id of the container that owns the shared namespace; undefined: this one becomes the owner. */
  readonly namespaceOwner?: string;
  /** Network alias of the namespace owner (set together with `namespaceOwner`). */
  readonly namespaceOwnerName?: string;
  readonly imageVolumes: readonly string[];
}

export async function startServiceContainer(
  docker: Dockerode,
  run: RunIdentity,
  req: StartServiceRequest,
  opts: StartServiceOptions,
): Promise<StartedService> {
  const labels = resourceLabels(run, 'service', req.name);
  const joining = req.sharedNamespace ? opts.namespaceOwner : undefined;
  const portKeys = req.ports.map((p) => `${p}/tcp`);
  const placement = networkPlacement(opts.network, [req.name], joining);
  let container: Dockerode.Container | undefined;
  try {
    container = await docker.createContainer({
      name: containerName(run.runId, 'service', req.name),
      Image: req.image.ref,
      ...(req.command ? { Cmd: [...req.command] } : {}),
      Env: envList(req.env),
      Labels: labels,
      // Publishing is impossible inside another container's namespace (the owner's ports are it).
      ...(joining ? {} : { ExposedPorts: Object.fromEntries(portKeys.map((k) => [k, {}])) }),
      HostConfig: {
        NetworkMode: placement.NetworkMode,
        // Empty HostPort: the engine picks a free one. Never fixed ports: concurrent runs would collide.
        ...(joining ? {} : { PortBindings: Object.fromEntries(portKeys.map((k) => [k, [{ HostIp: '127.0.0.1', HostPort: '' }]])) }),
        Mounts: labelledVolumeMounts(opts.imageVolumes, labels),
      },
      ...(placement.NetworkingConfig ? { NetworkingConfig: placement.NetworkingConfig } : {}),
    });
    await container.start();
    const info = await container.inspect();
    const published: Record<number, number> = {};
    for (const [key, bindings] of Object.entries(info.NetworkSettings.Ports ?? {})) {
      const hostPort = bindings?.[0]?.HostPort;
      if (hostPort) published[Number.parseInt(key, 10)] = Number.parseInt(hostPort, 10);
    }
    const ip = info.NetworkSettings.Networks?.[opts.network]?.IPAddress || undefined;
    return {
      handle: {
        name: req.name,
        id: info.Id,
        // A joined service is reached at the namespace owner's address: its name works both from
        // inside the namespace (same IP) and from phases outside it, where 127.0.0.1 would not.
        host: opts.namespaceOwnerName ?? req.name,
        ...(req.ports[0] !== undefined ? { port: req.ports[0] } : {}),
        published,
      },
      ...(ip ? { ip } : {}),
    };
  } catch (cause) {
    if (container) await container.remove({ force: true, v: true }).catch(() => undefined);
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new InfrastructureError(
      'SERVICE_START_FAILED',
      `Service "${req.name}" (image ${req.image.name}) could not start: ${why}. Check its image, command and ports.`,
      { cause },
    );
  }
}
