import t from 'tap';
import { createServer } from 'node:net';
import { DockerDriver } from '../../../src/drivers/docker/docker-driver.js';
import { DEFAULT_SOCKET, resolveEngineEndpoint } from '../../../src/drivers/docker/connect.js';
import { InfrastructureError } from '../../../src/errors.js';
import { requireEngine } from './harness.js';

t.test('endpoints are read as the Docker CLI reads them', async (t) => {
  t.same(resolveEngineEndpoint({}).options, { socketPath: DEFAULT_SOCKET });
  t.same(resolveEngineEndpoint({ DOCKER_HOST: 'unix:///run/user/1000/docker.sock' }).options, {
    socketPath: '/run/user/1000/docker.sock',
  });
  t.same(resolveEngineEndpoint({ DOCKER_HOST: 'tcp://10.0.0.5:2375' }).options, { host: '10.0.0.5', port: '2375', protocol: 'http' });
  t.match(resolveEngineEndpoint({ DOCKER_HOST: 'tcp://h:2376', DOCKER_TLS_VERIFY: '1' }).options, { protocol: 'https' });
  t.throws(() => resolveEngineEndpoint({ DOCKER_HOST: 'ftp://nope' }), { code: 'ENGINE_UNREACHABLE' });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  await new Promise<void>((r) => server.close(() => r()));
  return typeof address === 'object' && address ? address.port : 1;
}

t.test('describe() against an engine that does not answer says what to do', async (t) => {
  const port = await closedPort();
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
    t.match(err.message, `DOCKER_HOST=${host}`);
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
