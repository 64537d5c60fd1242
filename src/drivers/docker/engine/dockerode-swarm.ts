/** The Swarm port (swarm.ts) on dockerode, for a manager engine. */
import Dockerode from 'dockerode';
import { engineCall, labelFilter, toLabelled } from './dockerode-calls.js';
import { followProgress } from './dockerode-engine.js';
import { isNotFound } from './engine-error.js';
import type { SwarmPort, TaskPhase, TaskStatus } from './swarm.js';

export function createDockerodeSwarm(options: Dockerode.DockerOptions): SwarmPort {
  const docker = new Dockerode(options);
  return {
    createService: (spec) =>
      engineCall(async () => {
        const created = (await docker.createService({
          Name: spec.name,
          Labels: { ...spec.labels },
          TaskTemplate: {
            ContainerSpec: {
              Image: spec.image,
              ...(spec.command ? { Command: [...spec.command] } : {}),
              Env: Object.entries(spec.env).map(([k, v]) => `${k}=${v}`),
              Labels: { ...spec.labels },
              ...(spec.workdir ? { Dir: spec.workdir } : {}),
              Mounts: spec.binds.map((b) => ({
                Type: 'bind',
                Source: b.source,
                Target: b.target,
                ReadOnly: b.readOnly,
              })),
            },
            // Never restarted: a service that exits stays exited (its exit is the news), a phase runs once.
            RestartPolicy: { Condition: 'none', MaxAttempts: 0 },
            Networks: [{ Target: spec.network, Aliases: [...spec.aliases] }],
          },
          // DNS round robin, no virtual IP: one replica needs no load balancer, and the VIP needs IPVS,
          // which not every kernel (nor network namespace) has.
          EndpointSpec: { Mode: 'dnsrr' },
          Mode: spec.job
            ? { ReplicatedJob: { MaxConcurrent: 1, TotalCompletions: 1 } }
            : spec.global
              ? { Global: {} }
              : { Replicated: { Replicas: 1 } },
        } as unknown as Dockerode.CreateServiceOptions)) as { id?: string; ID?: string };
        return created.id ?? created.ID ?? '';
      }),
    removeService: (id) => engineCall(() => docker.getService(id).remove()).then(() => undefined),
    listServices: (selector) =>
      engineCall(async () =>
        (await docker.listServices({ filters: labelFilter(selector) })).map((s) =>
          toLabelled(s.ID ?? '', s.Spec?.Labels),
        ),
      ),
    tasks: (serviceId) =>
      engineCall(async () => {
        const tasks = (await docker.listTasks({ filters: JSON.stringify({ service: [serviceId] }) })) as RawTask[];
        return tasks.map(toTaskStatus);
      }),
    nodes: () =>
      engineCall(async () =>
        (await docker.listNodes()).map((n) => ({
          id: n.ID ?? '',
          hostname: n.Description?.Hostname ?? '',
          address: n.Status?.Addr ?? '',
          schedulable: n.Status?.State === 'ready' && n.Spec?.Availability === 'active',
          labels: { ...(n.Spec?.Labels ?? {}) },
        })),
      ),
    createOverlay: (name, labels) =>
      engineCall(() =>
        docker.createNetwork({
          Name: name,
          Driver: 'overlay',
          Attachable: true,
          CheckDuplicate: true,
          Labels: { ...labels },
        }),
      ).then(() => undefined),
    networkPeers: (name) =>
      engineCall(async () => {
        const network = docker.getNetwork(name) as unknown as { inspect(opts: { verbose: boolean }): Promise<unknown> };
        const info = (await network.inspect({ verbose: true })) as { Peers?: { IP?: string }[] };
        return (info.Peers ?? []).map((p) => p.IP ?? '');
      }).catch((err: unknown) => {
        if (isNotFound(err)) return undefined;
        throw err;
      }),
    tag: (image, repo, tag) => engineCall(() => docker.getImage(image).tag({ repo, tag })).then(() => undefined),
    push: (repo, tag, onProgress) =>
      engineCall(async () => {
        // An empty auth header: the registry is an open one (CI's own); X-Registry-Auth must still be sent.
        const stream = (await docker.getImage(`${repo}:${tag}`).push({ tag, authconfig: {} })) as NodeJS.ReadableStream;
        await followProgress(docker.modem, stream, onProgress);
      }),
  };
}

interface RawTask {
  ID?: string;
  NodeID?: string;
  Status?: {
    State?: string;
    Timestamp?: string;
    Message?: string;
    Err?: string;
    ContainerStatus?: { ContainerID?: string; ExitCode?: number };
  };
}

const PHASES: Readonly<Record<string, TaskPhase>> = {
  new: 'pending',
  pending: 'pending',
  assigned: 'pending',
  accepted: 'pending',
  preparing: 'pending',
  ready: 'pending',
  starting: 'pending',
  running: 'running',
  complete: 'complete',
  failed: 'failed',
  shutdown: 'shutdown',
  rejected: 'rejected',
  orphaned: 'orphaned',
  remove: 'shutdown',
};

function toTaskStatus(t: RawTask): TaskStatus {
  const raw = t.Status?.State ?? 'unknown';
  const container = t.Status?.ContainerStatus;
  return {
    id: t.ID ?? '',
    ...(t.NodeID ? { nodeId: t.NodeID } : {}),
    state: PHASES[raw] ?? 'other',
    rawState: raw,
    ...(container?.ContainerID ? { containerId: container.ContainerID } : {}),
    ...(typeof container?.ExitCode === 'number' ? { exitCode: container.ExitCode } : {}),
    at: t.Status?.Timestamp ?? new Date().toISOString(),
    message: t.Status?.Message ?? '',
    ...(t.Status?.Err ? { error: t.Status.Err } : {}),
  };
}
