/** Creates and starts a service container: run network + alias, dynamic published ports, labels. */
import { InfrastructureError } from '../../errors.js';
import type { RunIdentity, ServiceAddress, ServiceHandle, StartServiceRequest } from '../driver.js';
import { containerName, networkPlacement } from './container-config.js';
import type { ContainerPort } from './engine/engine.js';
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

/** Phases reach a service on the run network by its alias, at its first container port. */
export function serviceAddress(req: Pick<StartServiceRequest, 'name' | 'alias' | 'ports'>): ServiceAddress {
  return { host: req.alias ?? req.name, ...(req.ports[0] !== undefined ? { port: req.ports[0] } : {}) };
}

export async function startServiceContainer(
  containers: ContainerPort,
  run: RunIdentity,
  req: StartServiceRequest,
  opts: StartServiceOptions,
): Promise<StartedService> {
  const { host: alias, port } = serviceAddress(req);
  const labels = resourceLabels(run, 'service', alias);
  const joining = req.sharedNamespace ? opts.namespaceOwner : undefined;
  let id: string | undefined;
  try {
    id = await containers.create({
      name: containerName(run.runId, 'service', alias),
      image: req.image.ref,
      ...(req.command ? { command: req.command } : {}),
      env: req.env,
      labels,
      placement: networkPlacement(opts.network, [alias], joining),
      publish: req.ports,
      binds: (req.mounts ?? []).map((m) => ({ source: m.source, target: m.target, readOnly: m.readOnly })),
      anonymousVolumes: opts.imageVolumes,
    });
    await containers.start(id);
    const info = await containers.inspect(id);
    const ip = info.addresses[opts.network];
    return {
      handle: {
        name: req.name,
        id: info.id,
        // A joined service is reached at the namespace owner's address: its name works both from
        // inside the namespace (same IP) and from phases outside it, where 127.0.0.1 would not.
        host: opts.namespaceOwnerName ?? alias,
        ...(port !== undefined ? { port } : {}),
        published: info.published,
      },
      ...(ip ? { ip } : {}),
    };
  } catch (cause) {
    if (id !== undefined) await containers.remove(id).catch(() => undefined);
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new InfrastructureError(
      'SERVICE_START_FAILED',
      `Service "${req.name}" (image ${req.image.name}) could not start: ${why}. Check its image, command, ports and mounts.`,
      { cause },
    );
  }
}
