/** Connects to the engine the way the Docker CLI does: DOCKER_HOST (unix://, tcp://) or the default socket. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDockerodeEngine, type DockerodeOptions } from './engine/dockerode-engine.js';
import type { Engine } from './engine/engine.js';
import { InfrastructureError } from '../../errors.js';

export const DEFAULT_SOCKET = '/var/run/docker.sock';

export interface EngineEndpoint {
  readonly options: DockerodeOptions;
  /** For messages: `DOCKER_HOST=tcp://…` or `the default socket /var/run/docker.sock`. */
  readonly description: string;
}

export function resolveEngineEndpoint(env: NodeJS.ProcessEnv): EngineEndpoint {
  const host = env.DOCKER_HOST?.trim();
  if (!host) return { options: { socketPath: DEFAULT_SOCKET }, description: `the default socket ${DEFAULT_SOCKET}` };
  const description = `DOCKER_HOST=${host}`;
  if (host.startsWith('unix://')) return { options: { socketPath: host.slice('unix://'.length) || DEFAULT_SOCKET }, description };
  if (host.startsWith('tcp://') || host.startsWith('http://') || host.startsWith('https://')) {
    const url = new URL(host.replace(/^tcp:/, 'http:'));
    const tls = env.DOCKER_TLS_VERIFY === '1' || url.protocol === 'https:';
    const options: DockerodeOptions = {
      host: url.hostname,
      port: url.port || (tls ? 2376 : 2375),
      protocol: tls ? 'https' : 'http',
    };
    if (tls && env.DOCKER_CERT_PATH) {
      const dir = env.DOCKER_CERT_PATH;
      Object.assign(options, {
        ca: readFileSync(join(dir, 'ca.pem')),
        cert: readFileSync(join(dir, 'cert.pem')),
        key: readFileSync(join(dir, 'key.pem')),
      });
    }
    return { options, description };
  }
  throw new InfrastructureError(
    'ENGINE_UNREACHABLE',
    `${description} is not supported (use unix:///path/to/docker.sock or tcp://host:port), or run with --driver local.`,
  );
}

export function connectEngine(env: NodeJS.ProcessEnv = process.env): { engine: Engine; endpoint: string } {
  const { options, description } = resolveEngineEndpoint(env);
  return { engine: createDockerodeEngine(options), endpoint: description };
}

export function engineUnreachable(endpoint: string, cause: unknown): InfrastructureError {
  const why = cause instanceof Error ? cause.message : String(cause);
  return new InfrastructureError(
    'ENGINE_UNREACHABLE',
    `No Docker engine answers at ${endpoint} (${why}).\n` +
      `  Start one: \`bash scripts/docker-engine.sh\` (on this kind of machine) or start Docker Desktop / the docker service,\n` +
      `  or point DOCKER_HOST at a running engine (unix:///var/run/docker.sock, tcp://host:2375),\n` +
      `  or run without containers: \`plan run --driver local\`.`,
    { cause },
  );
}
