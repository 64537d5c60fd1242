/** Our `ContainerSpec` as dockerode's create options. */
import type Dockerode from 'dockerode';
import type { ContainerSpec } from './engine.js';

export function createOptions(spec: ContainerSpec): Dockerode.ContainerCreateOptions {
  const joining = 'joinNamespaceOf' in spec.placement;
  // Publishing is impossible inside another container's namespace (the owner's ports are it).
  const portKeys = joining ? [] : spec.publish.map((p) => `${p}/tcp`);
  return {
    name: spec.name,
    Image: spec.image,
    ...(spec.command ? { Cmd: [...spec.command] } : {}),
    ...(spec.entrypoint ? { Entrypoint: [...spec.entrypoint] } : {}),
    ...(spec.openStdin ? { OpenStdin: true, StdinOnce: true, AttachStdin: true } : {}),
    Env: Object.entries(spec.env).map(([k, v]) => `${k}=${v}`),
    ...(spec.workdir ? { WorkingDir: spec.workdir } : {}),
    Labels: { ...spec.labels },
    ...(portKeys.length ? { ExposedPorts: Object.fromEntries(portKeys.map((k) => [k, {}])) } : {}),
    HostConfig: {
      NetworkMode:
        'joinNamespaceOf' in spec.placement ? `container:${spec.placement.joinNamespaceOf}` : spec.placement.network,
      // Empty HostPort: the engine picks a free one. Never fixed ports: concurrent runs would collide.
      ...(portKeys.length
        ? { PortBindings: Object.fromEntries(portKeys.map((k) => [k, [{ HostIp: '127.0.0.1', HostPort: '' }]])) }
        : {}),
      Mounts: [
        ...spec.binds.map((m) => ({ Type: 'bind' as const, Source: m.source, Target: m.target, ReadOnly: m.readOnly })),
        ...spec.anonymousVolumes.map((target) => labelledVolume(target, spec.labels)),
      ],
    },
    ...('network' in spec.placement
      ? {
          NetworkingConfig: { EndpointsConfig: { [spec.placement.network]: { Aliases: [...spec.placement.aliases] } } },
        }
      : {}),
  };
}

/**
 * An anonymous volume that carries our labels, so a runner killed before cleanup leaves volumes
 * that `cleanupRun`/`prune` can still find by label.
 */
function labelledVolume(target: string, labels: Readonly<Record<string, string>>): Dockerode.MountSettings {
  return {
    Type: 'volume',
    Source: '', // empty: an anonymous volume, removed with its container (`v: true`)
    Target: target,
    VolumeOptions: { NoCopy: false, Labels: { ...labels }, DriverConfig: { Name: 'local', Options: {} } },
  };
}
