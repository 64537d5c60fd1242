/**
 * Which engine to talk to, found as the Docker CLI finds it (a pure function of the environment
 * and a file reader):
 *   1. `DOCKER_HOST` (unix://, tcp:// with `DOCKER_TLS_VERIFY`/`DOCKER_CERT_PATH`, ssh://);
 *   2. the context named by `DOCKER_CONTEXT`, else `currentContext` of `$DOCKER_CONFIG/config.json`
 *      (`~/.docker`): its `contexts/meta/<sha256 of the name>/meta.json` gives `Endpoints.docker.Host`,
 *      TLS files lie in `contexts/tls/<sha256>/docker/`; the context `default` means "no context";
 *   3. Docker Desktop's `~/.docker/run/docker.sock`, then rootless `$XDG_RUNTIME_DIR/docker.sock`,
 *      where they exist; then `/var/run/docker.sock`.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { InfrastructureError } from '../../errors.js';

export const DEFAULT_SOCKET = '/var/run/docker.sock';

/** Paths of the TLS files that exist (`verify`: check the engine's certificate against `ca`). */
export interface TlsFiles {
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
  readonly verify: boolean;
}

export type EngineEndpoint = { readonly description: string } & (
  | { readonly kind: 'unix'; readonly path: string }
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number; readonly tls?: TlsFiles }
  | {
      readonly kind: 'ssh';
      readonly host: string;
      readonly port?: number;
      readonly username?: string;
      /** `SSH_AUTH_SOCK`: the agent that holds the key. */
      readonly agent?: string;
    }
);

export interface EndpointSources {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The user's home folder. */
  readonly home: string;
  /** A file's text, or undefined when it does not exist. */
  readonly readFile: (path: string) => string | undefined;
  readonly exists: (path: string) => boolean;
}

export function resolveEngineEndpoint(sources: EndpointSources): EngineEndpoint {
  const { env, home, exists } = sources;
  const configDir = env.DOCKER_CONFIG?.trim() || join(home, '.docker');
  const dockerHost = env.DOCKER_HOST?.trim();
  if (dockerHost) return parseHost(dockerHost, `DOCKER_HOST=${dockerHost}`, tlsFromEnv(env, configDir, exists), env);

  const context = currentContext(sources, configDir);
  if (context) return contextEndpoint(sources, configDir, context);

  const desktop = join(configDir, 'run', 'docker.sock');
  if (exists(desktop)) return { kind: 'unix', path: desktop, description: `Docker Desktop's socket ${desktop}` };
  const runtimeDir = env.XDG_RUNTIME_DIR?.trim();
  const rootless = runtimeDir ? join(runtimeDir, 'docker.sock') : undefined;
  if (rootless && exists(rootless))
    return { kind: 'unix', path: rootless, description: `the rootless socket ${rootless} ($XDG_RUNTIME_DIR)` };
  return { kind: 'unix', path: DEFAULT_SOCKET, description: `the default socket ${DEFAULT_SOCKET}` };
}

/** The SHA-256 (hex) of a context name: the folder that holds its metadata and TLS files. */
export function contextDigest(name: string): string {
  return createHash('sha256').update(name).digest('hex');
}

interface ContextChoice {
  readonly name: string;
  /** For messages: `DOCKER_CONTEXT` or the config file. */
  readonly from: string;
}

function currentContext(sources: EndpointSources, configDir: string): ContextChoice | undefined {
  const fromEnv = sources.env.DOCKER_CONTEXT?.trim();
  if (fromEnv) return fromEnv === 'default' ? undefined : { name: fromEnv, from: 'DOCKER_CONTEXT' };
  const configFile = join(configDir, 'config.json');
  const text = sources.readFile(configFile);
  if (text === undefined) return undefined;
  const config = parseJson(text, configFile, 'fix the file or remove it') as { currentContext?: unknown };
  const name = typeof config?.currentContext === 'string' ? config.currentContext.trim() : '';
  return name && name !== 'default' ? { name, from: configFile } : undefined;
}

function contextEndpoint(sources: EndpointSources, configDir: string, context: ContextChoice): EngineEndpoint {
  const digest = contextDigest(context.name);
  const metaFile = join(configDir, 'contexts', 'meta', digest, 'meta.json');
  const label = `context "${context.name}" (from ${context.from})`;
  const fix = `list the contexts with \`docker context ls\`, or choose another with DOCKER_CONTEXT or DOCKER_HOST`;
  const text = sources.readFile(metaFile);
  if (text === undefined) throw unusable(`${label} does not exist: there is no ${metaFile}; ${fix}.`);
  const meta = parseJson(text, metaFile, fix) as {
    Endpoints?: { docker?: { Host?: unknown; SkipTLSVerify?: unknown } };
  };
  const docker = meta?.Endpoints?.docker;
  const host = typeof docker?.Host === 'string' ? docker.Host.trim() : '';
  if (!host) throw unusable(`${label} has no Docker endpoint (Endpoints.docker.Host in ${metaFile}); ${fix}.`);
  const tlsDir = join(configDir, 'contexts', 'tls', digest, 'docker');
  const files = tlsFiles(tlsDir, sources.exists, docker?.SkipTLSVerify !== true);
  return parseHost(
    host,
    `context "${context.name}" (${host}, from ${context.from})`,
    files.ca || files.cert ? files : undefined,
    sources.env,
  );
}

/** DOCKER_TLS_VERIFY (any value, as the CLI reads it) turns TLS on; certificates from DOCKER_CERT_PATH or the config folder. */
function tlsFromEnv(
  env: EndpointSources['env'],
  configDir: string,
  exists: EndpointSources['exists'],
): TlsFiles | undefined {
  if (!env.DOCKER_TLS_VERIFY) return undefined;
  return tlsFiles(env.DOCKER_CERT_PATH?.trim() || configDir, exists, true);
}

function tlsFiles(dir: string, exists: EndpointSources['exists'], verify: boolean): TlsFiles {
  const file = (name: string) => (exists(join(dir, name)) ? { [name.slice(0, -4)]: join(dir, name) } : {});
  return { ...file('ca.pem'), ...file('cert.pem'), ...file('key.pem'), verify };
}

function parseHost(
  host: string,
  description: string,
  tls: TlsFiles | undefined,
  env: EndpointSources['env'],
): EngineEndpoint {
  if (host.startsWith('unix://'))
    return { kind: 'unix', path: host.slice('unix://'.length) || DEFAULT_SOCKET, description };
  let url: URL;
  try {
    url = new URL(/^[a-z]+:\/\//.test(host) ? host : `tcp://${host}`);
  } catch {
    throw unsupported(description);
  }
  const port = url.port ? Number.parseInt(url.port, 10) : undefined;
  if (url.protocol === 'ssh:') {
    return {
      kind: 'ssh',
      host: url.hostname,
      ...(port !== undefined ? { port } : {}),
      ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
      ...(env.SSH_AUTH_SOCK ? { agent: env.SSH_AUTH_SOCK } : {}),
      description,
    };
  }
  if (url.protocol !== 'tcp:' && url.protocol !== 'http:' && url.protocol !== 'https:') throw unsupported(description);
  const secure = tls ?? (url.protocol === 'https:' || port === 2376 ? { verify: true } : undefined);
  return {
    kind: 'tcp',
    host: url.hostname,
    port: port ?? (secure ? 2376 : 2375),
    ...(secure ? { tls: secure } : {}),
    description,
  };
}

function parseJson(text: string, file: string, fix: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw unusable(`${file} is not valid JSON (${err instanceof Error ? err.message : String(err)}); ${fix}.`);
  }
}

function unsupported(description: string): InfrastructureError {
  return unusable(
    `${description} is not supported (use unix:///path/to/docker.sock, tcp://host:port or ssh://user@host), or run with --driver local.`,
  );
}

function unusable(message: string): InfrastructureError {
  return new InfrastructureError('ENGINE_UNREACHABLE', message);
}
