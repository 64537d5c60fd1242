/** Connects to the engine the Docker CLI would use (endpoint.ts), and says what to do when none answers. */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { InfrastructureError } from '../../errors.js';
import { createDockerodeEngine } from './engine/dockerode-engine.js';
import type { Engine } from './engine/engine.js';
import { resolveEngineEndpoint, type EndpointSources } from './endpoint.js';

/** The real environment, home folder and file system. */
export function hostSources(env: Readonly<Record<string, string | undefined>> = process.env): EndpointSources {
  return {
    env,
    home: env.HOME?.trim() || homedir(),
    readFile: (path) => {
      try {
        return readFileSync(path, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
    },
    exists: existsSync,
  };
}

/** The engine and, for messages, how it was chosen (`DOCKER_HOST=…`, `context "x" (…)`, `the default socket …`). */
export function connectEngine(env: Readonly<Record<string, string | undefined>> = process.env): {
  engine: Engine;
  endpoint: string;
} {
  const endpoint = resolveEngineEndpoint(hostSources(env));
  return { engine: createDockerodeEngine(endpoint, (path) => readFileSync(path)), endpoint: endpoint.description };
}

export function engineUnreachable(endpoint: string, cause: unknown): InfrastructureError {
  const why = cause instanceof Error ? cause.message : String(cause);
  return new InfrastructureError(
    'ENGINE_UNREACHABLE',
    `No Docker engine answers at ${endpoint} (${why}).\n` +
      `  Start one: \`bash scripts/docker-engine.sh\` (on this kind of machine) or start Docker Desktop / the docker service,\n` +
      `  or point DOCKER_HOST (unix:///var/run/docker.sock, tcp://host:2375, ssh://user@host) or DOCKER_CONTEXT at a running engine,\n` +
      `  or run without containers: \`plan run --driver local\`.`,
    { cause },
  );
}
