/**
 * The engine port on dockerode: with `dockerode-containers.ts`, the only code that imports it.
 * Progress streams are read by docker-modem's `followProgress` (decoded as UTF-8 text first, so a
 * character cut between two chunks stays whole).
 */
import Dockerode from 'dockerode';
import { Agent } from 'node:https';
import type { Readable } from 'node:stream';
import { engineCall, labelFilter, toLabelled } from './dockerode-calls.js';
import { dockerodeContainers, dockerodeExec } from './dockerode-containers.js';
import type { Engine, ImagePort, ProgressMessage } from './engine.js';
import { isNotFound } from './engine-error.js';
import type { EngineEndpoint } from '../endpoint.js';

export function createDockerodeEngine(endpoint: EngineEndpoint, readFile: (path: string) => Buffer): Engine {
  const docker = new Dockerode(dockerodeOptions(endpoint, readFile));
  return {
    containers: dockerodeContainers(docker),
    exec: dockerodeExec(docker),
    archive: {
      read: (containerId, path) =>
        engineCall(async () => (await docker.getContainer(containerId).getArchive({ path })) as unknown as Readable),
    },
    images: dockerodeImages(docker),
    networks: {
      create: (name, labels) =>
        engineCall(() =>
          docker.createNetwork({ Name: name, Driver: 'bridge', CheckDuplicate: true, Labels: { ...labels } }),
        ).then(() => undefined),
      remove: (nameOrId) => engineCall(() => docker.getNetwork(nameOrId).remove()),
      list: (selector) =>
        engineCall(async () =>
          (await docker.listNetworks({ filters: labelFilter(selector) })).map((n) => toLabelled(n.Id, n.Labels)),
        ),
    },
    volumes: {
      remove: (name) => engineCall(() => docker.getVolume(name).remove()),
      list: (selector) =>
        engineCall(async () =>
          ((await docker.listVolumes({ filters: labelFilter(selector) })).Volumes ?? []).map((v) =>
            toLabelled(v.Name, v.Labels),
          ),
        ),
    },
    system: {
      version: (signal) =>
        engineCall(async () => {
          // dockerode passes `abortSignal` through to the request; its typings omit the options form.
          const version = docker.version as unknown as (o: {
            abortSignal: AbortSignal;
          }) => Promise<Dockerode.DockerVersion>;
          const v = await version.call(docker, { abortSignal: signal });
          return { version: v.Version, apiVersion: v.ApiVersion };
        }),
    },
  };
}

/** Reads a progress stream to its end; decoded as UTF-8 text first, so a character cut between chunks stays whole. */
export function followProgress(
  modem: Dockerode['modem'],
  stream: NodeJS.ReadableStream,
  onProgress: (m: ProgressMessage) => void,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    stream.setEncoding('utf8');
    modem.followProgress(stream, (err) => (err ? reject(err) : resolve()), onProgress);
  });
}

function dockerodeImages(docker: Dockerode): ImagePort {
  const follow = (stream: NodeJS.ReadableStream, onProgress: (m: ProgressMessage) => void) =>
    followProgress(docker.modem, stream, onProgress);
  return {
    inspect: async (ref) => {
      try {
        const info = await engineCall(() => docker.getImage(ref).inspect());
        const entrypoint = info.Config?.Entrypoint;
        return {
          id: info.Id,
          volumes: Object.keys(info.Config?.Volumes ?? {}),
          ...(entrypoint ? { entrypoint: typeof entrypoint === 'string' ? [entrypoint] : [...entrypoint] } : {}),
        };
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
    build: (context, options, onProgress) =>
      engineCall(async () => {
        const stream = (await docker.buildImage(context, {
          t: options.tag,
          dockerfile: options.dockerfile,
          buildargs: { ...options.buildArgs },
          labels: { ...options.labels },
          rm: true,
          forcerm: true,
          abortSignal: options.signal,
          ...(options.target ? { target: options.target } : {}),
        })) as NodeJS.ReadableStream;
        await follow(stream, onProgress);
      }),
    pull: (ref, onProgress, signal) =>
      engineCall(async () => {
        const stream = (await docker.pull(ref, { abortSignal: signal })) as NodeJS.ReadableStream;
        await follow(stream, onProgress);
      }),
  };
}

/**
 * Every connection field set, also to undefined: docker-modem starts from its own reading of
 * `process.env.DOCKER_HOST`, which must not leak into the endpoint chosen here.
 */
export function dockerodeOptions(
  endpoint: EngineEndpoint,
  readFile: (path: string) => Buffer,
): Dockerode.DockerOptions {
  const none = {
    socketPath: undefined,
    host: undefined,
    port: undefined,
    protocol: undefined,
    ca: undefined,
    cert: undefined,
    key: undefined,
  };
  switch (endpoint.kind) {
    case 'unix':
      return { ...none, socketPath: endpoint.path };
    case 'ssh':
      return {
        ...none,
        protocol: 'ssh',
        host: endpoint.host,
        ...(endpoint.port !== undefined ? { port: endpoint.port } : {}),
        ...(endpoint.username ? { username: endpoint.username } : {}),
        ...(endpoint.agent ? { sshOptions: { agent: endpoint.agent } } : {}),
      };
    case 'tcp': {
      const tls = endpoint.tls;
      if (!tls) return { ...none, host: endpoint.host, port: endpoint.port, protocol: 'http' };
      return {
        ...none,
        host: endpoint.host,
        port: endpoint.port,
        protocol: 'https',
        ...(tls.ca ? { ca: readFile(tls.ca) } : {}),
        ...(tls.cert ? { cert: readFile(tls.cert) } : {}),
        ...(tls.key ? { key: readFile(tls.key) } : {}),
        // A context with SkipTLSVerify: encrypted, but the engine's certificate is not checked.
        ...(tls.verify ? {} : { agent: new Agent({ rejectUnauthorized: false }) }),
      } as Dockerode.DockerOptions;
    }
  }
}
