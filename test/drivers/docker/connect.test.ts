import t from 'tap';
import { join } from 'node:path';
import { DockerDriver } from '../../../src/drivers/docker/docker-driver.js';
import {
  DEFAULT_SOCKET,
  contextDigest,
  resolveEngineEndpoint,
  type EndpointSources,
} from '../../../src/drivers/docker/endpoint.js';
import { dockerodeOptions } from '../../../src/drivers/docker/engine/dockerode-engine.js';
import { InfrastructureError } from '../../../src/errors.js';
import { freePort } from '../../helpers/dockerd.js';
import { requireEngine } from './harness.js';

const HOME = '/home/dev';
const CONFIG = join(HOME, '.docker');

/** Resolution against an in-memory file system: `files` maps path → text. */
function resolve(env: Record<string, string>, files: Record<string, string> = {}) {
  const sources: EndpointSources = {
    env,
    home: HOME,
    readFile: (path) => files[path],
    exists: (path) => path in files,
  };
  return resolveEngineEndpoint(sources);
}

function contextFiles(
  name: string,
  host: string,
  options: { tls?: boolean; skipVerify?: boolean; configDir?: string } = {},
) {
  const dir = options.configDir ?? CONFIG;
  const digest = contextDigest(name);
  const meta = {
    Name: name,
    Metadata: {},
    Endpoints: { docker: { Host: host, SkipTLSVerify: options.skipVerify ?? false } },
  };
  const files: Record<string, string> = { [join(dir, 'contexts', 'meta', digest, 'meta.json')]: JSON.stringify(meta) };
  if (options.tls) {
    for (const f of ['ca.pem', 'cert.pem', 'key.pem']) files[join(dir, 'contexts', 'tls', digest, 'docker', f)] = f;
  }
  return files;
}

t.test('DOCKER_HOST: unix, tcp, tcp with TLS, ssh; it wins over any context', async (t) => {
  t.match(resolve({ DOCKER_HOST: 'unix:///run/user/1000/docker.sock' }), {
    kind: 'unix',
    path: '/run/user/1000/docker.sock',
    description: 'DOCKER_HOST=unix:///run/user/1000/docker.sock',
  });
  t.same(resolve({ DOCKER_HOST: 'tcp://10.0.0.5:2375' }), {
    kind: 'tcp',
    host: '10.0.0.5',
    port: 2375,
    description: 'DOCKER_HOST=tcp://10.0.0.5:2375',
  });
  t.match(resolve({ DOCKER_HOST: 'tcp://10.0.0.5' }), { port: 2375, tls: undefined }, 'no port: 2375');
  t.match(resolve({ DOCKER_HOST: 'tcp://h:2376' }), { port: 2376, tls: { verify: true } }, '2376 is the TLS port');
  const certs = { '/certs/ca.pem': 'c', '/certs/cert.pem': 'c', '/certs/key.pem': 'k' };
  t.same(resolve({ DOCKER_HOST: 'tcp://h', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' }, certs), {
    kind: 'tcp',
    host: 'h',
    port: 2376,
    tls: { ca: '/certs/ca.pem', cert: '/certs/cert.pem', key: '/certs/key.pem', verify: true },
    description: 'DOCKER_HOST=tcp://h',
  });
  const homeCerts = { [join(CONFIG, 'ca.pem')]: 'c' };
  t.match(
    resolve({ DOCKER_HOST: 'tcp://h:2376', DOCKER_TLS_VERIFY: '1' }, homeCerts),
    { tls: { ca: join(CONFIG, 'ca.pem') } },
    'certificates default to ~/.docker',
  );
  t.same(resolve({ DOCKER_HOST: 'ssh://deploy@build-host:2222', SSH_AUTH_SOCK: '/tmp/agent.sock' }), {
    kind: 'ssh',
    host: 'build-host',
    port: 2222,
    username: 'deploy',
    agent: '/tmp/agent.sock',
    description: 'DOCKER_HOST=ssh://deploy@build-host:2222',
  });
  t.match(
    resolve({ DOCKER_HOST: 'unix:///x.sock', DOCKER_CONTEXT: 'remote' }, contextFiles('remote', 'tcp://r:2375')),
    { kind: 'unix', path: '/x.sock' },
  );
  t.throws(() => resolve({ DOCKER_HOST: 'ftp://nope' }), {
    code: 'ENGINE_UNREACHABLE',
    message: /DOCKER_HOST=ftp:\/\/nope is not supported/,
  });
});

t.test(
  'DOCKER_CONTEXT, then config.json currentContext, with the endpoint and TLS files from the context store',
  async (t) => {
    const files = {
      ...contextFiles('remote', 'tcp://build.example:2376', { tls: true }),
      ...contextFiles('local-rootless', 'unix:///run/user/1000/docker.sock'),
      [join(CONFIG, 'config.json')]: JSON.stringify({ auths: {}, currentContext: 'local-rootless' }),
    };
    const tls = join(CONFIG, 'contexts', 'tls', contextDigest('remote'), 'docker');
    t.same(resolve({ DOCKER_CONTEXT: 'remote' }, files), {
      kind: 'tcp',
      host: 'build.example',
      port: 2376,
      tls: { ca: join(tls, 'ca.pem'), cert: join(tls, 'cert.pem'), key: join(tls, 'key.pem'), verify: true },
      description: 'context "remote" (tcp://build.example:2376, from DOCKER_CONTEXT)',
    });
    t.same(resolve({}, files), {
      kind: 'unix',
      path: '/run/user/1000/docker.sock',
      description: `context "local-rootless" (unix:///run/user/1000/docker.sock, from ${join(CONFIG, 'config.json')})`,
    });
    t.match(
      resolve({ DOCKER_CONTEXT: 'default' }, files),
      { path: DEFAULT_SOCKET },
      'the context "default" is the default endpoint',
    );
    const skip = contextFiles('lab', 'tcp://lab:2376', { tls: true, skipVerify: true });
    t.match(resolve({ DOCKER_CONTEXT: 'lab' }, skip), { tls: { verify: false } }, 'SkipTLSVerify');
    const elsewhere = '/etc/docker-client';
    const moved = {
      ...contextFiles('ci', 'tcp://ci:2375', { configDir: elsewhere }),
      [join(elsewhere, 'config.json')]: '{"currentContext":"ci"}',
    };
    t.match(
      resolve({ DOCKER_CONFIG: elsewhere }, moved),
      { kind: 'tcp', host: 'ci' },
      'DOCKER_CONFIG moves the config folder',
    );
  },
);

t.test('a context that cannot be used is a clear error naming it, the file and what to do', async (t) => {
  t.throws(() => resolve({ DOCKER_CONTEXT: 'gone' }), {
    code: 'ENGINE_UNREACHABLE',
    message:
      /^context "gone" \(from DOCKER_CONTEXT\) does not exist: there is no .*meta\.json; list the contexts with `docker context ls`/,
  });
  const config = join(CONFIG, 'config.json');
  t.throws(() => resolve({}, { [config]: '{ not json' }), { message: new RegExp(`^${config} is not valid JSON`) });
  const noHost = { [join(CONFIG, 'contexts', 'meta', contextDigest('k8s'), 'meta.json')]: '{"Endpoints":{}}' };
  t.throws(() => resolve({ DOCKER_CONTEXT: 'k8s' }, noHost), { message: /context "k8s" .* has no Docker endpoint/ });
});

t.test('without a host or context: Docker Desktop, then rootless, then the default socket', async (t) => {
  const desktop = join(CONFIG, 'run', 'docker.sock');
  const rootless = '/run/user/1000/docker.sock';
  t.same(resolve({ XDG_RUNTIME_DIR: '/run/user/1000' }, { [desktop]: '', [rootless]: '' }), {
    kind: 'unix',
    path: desktop,
    description: `Docker Desktop's socket ${desktop}`,
  });
  t.same(resolve({ XDG_RUNTIME_DIR: '/run/user/1000' }, { [rootless]: '' }), {
    kind: 'unix',
    path: rootless,
    description: `the rootless socket ${rootless} ($XDG_RUNTIME_DIR)`,
  });
  t.same(resolve({ XDG_RUNTIME_DIR: '/run/user/1000' }), {
    kind: 'unix',
    path: DEFAULT_SOCKET,
    description: `the default socket ${DEFAULT_SOCKET}`,
  });
  t.match(
    resolve({}, { [join(CONFIG, 'config.json')]: '{"auths":{}}' }),
    { path: DEFAULT_SOCKET },
    'a config without a context',
  );
});

t.test(
  "dockerode gets every connection field, so docker-modem's own reading of process.env cannot leak in",
  async (t) => {
    const read = (p: string) => Buffer.from(`pem:${p}`);
    t.same(dockerodeOptions({ kind: 'unix', path: '/s.sock', description: '' }, read), {
      socketPath: '/s.sock',
      host: undefined,
      port: undefined,
      protocol: undefined,
      ca: undefined,
      cert: undefined,
      key: undefined,
    });
    t.match(
      dockerodeOptions(
        {
          kind: 'tcp',
          host: 'h',
          port: 2376,
          tls: { ca: '/c/ca.pem', key: '/c/key.pem', verify: true },
          description: '',
        },
        read,
      ),
      {
        socketPath: undefined,
        host: 'h',
        port: 2376,
        protocol: 'https',
        ca: Buffer.from('pem:/c/ca.pem'),
        key: Buffer.from('pem:/c/key.pem'),
        cert: undefined,
      },
    );
    t.match(dockerodeOptions({ kind: 'ssh', host: 'b', username: 'u', agent: '/a.sock', description: '' }, read), {
      protocol: 'ssh',
      host: 'b',
      username: 'u',
      sshOptions: { agent: '/a.sock' },
    });
  },
);

t.test('describe() against an engine that does not answer names the endpoint and says what to do', async (t) => {
  const port = await freePort();
  for (const host of [`tcp://127.0.0.1:${port}`, 'unix:///nonexistent/docker.sock']) {
    const driver = new DockerDriver({ env: { DOCKER_HOST: host } });
    const err = await driver.describe().then(
      () => undefined,
      (e: unknown) => e,
    );
    t.ok(err instanceof InfrastructureError, host);
    if (!(err instanceof InfrastructureError)) continue;
    t.equal(err.code, 'ENGINE_UNREACHABLE');
    t.equal(err.exitCode, 3);
    t.match(err.message, `No Docker engine answers at DOCKER_HOST=${host}`);
    t.match(err.message, 'bash scripts/docker-engine.sh');
    t.match(err.message, '--driver local');
  }
});

t.test('describe() names the engine and its API version', async (t) => {
  if (!requireEngine(t)) return;
  const info = await new DockerDriver().describe();
  t.equal(info.kind, 'docker');
  t.match(info.engine, /^Docker Engine \d+\.\d+\.\d+\S* \(API \d+\.\d+\)$/);
});
