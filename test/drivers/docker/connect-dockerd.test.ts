/**
 * How the driver connects, against real second daemons this test starts: one on a non-default
 * unix socket, one on tcp://127.0.0.1:<free port>; contexts written by the real Docker CLI.
 */
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DockerDriver } from '../../../src/drivers/docker/docker-driver.js';
import { contextDigest } from '../../../src/drivers/docker/endpoint.js';
import { requireDockerd, startDockerd } from '../../helpers/dockerd.js';
import { contextFor, fakeRun } from './on-fake.js';
import { tempDir } from '../../helpers/temp-dir.js';

/** The main engine has this image; a fresh daemon has none: telling which one answered. */
const MAIN_ENGINE_IMAGE = 'testplan-base:bookworm';

async function hasMainImage(driver: DockerDriver): Promise<boolean> {
  const ctx = contextFor(fakeRun());
  return driver.prepareImage({ kind: 'ref', name: 'base', ref: MAIN_ENGINE_IMAGE, pull: 'never' }, ctx).then(
    () => true,
    (err: unknown) => {
      if ((err as { code?: string }).code === 'IMAGE_NOT_FOUND') return false;
      throw err;
    },
  );
}

t.test('the driver reaches the daemon that DOCKER_HOST or the Docker context names', async (t) => {
  if (!requireDockerd(t)) return;
  const hadDocker0 = bridges().includes('docker0');
  const [unixd, tcpd] = await Promise.all([startDockerd('unix'), startDockerd('tcp')]);
  t.teardown(() => Promise.all([unixd.stop(), tcpd.stop()]));
  const home = tempDir('home');

  await t.test('DOCKER_HOST=unix://<socket> and tcp://127.0.0.1:<port>', async (t) => {
    for (const daemon of [unixd, tcpd]) {
      const driver = new DockerDriver({ env: { HOME: home, DOCKER_HOST: daemon.host } });
      t.match(await driver.describe(), { kind: 'docker', engine: /^Docker Engine \S+ \(API \d+\.\d+\)$/ }, daemon.host);
      t.equal(await hasMainImage(driver), false, `${daemon.host}: the second daemon answered, not the main one`);
    }
  });

  await t.test(
    "the runner's own DOCKER_HOST does not leak into an endpoint chosen from another environment",
    async (t) => {
      const saved = process.env.DOCKER_HOST;
      process.env.DOCKER_HOST = 'tcp://127.0.0.1:9';
      try {
        const driver = new DockerDriver({ env: { HOME: home, DOCKER_HOST: unixd.host } });
        t.match(await driver.describe(), { kind: 'docker' });
      } finally {
        if (saved === undefined) delete process.env.DOCKER_HOST;
        else process.env.DOCKER_HOST = saved;
      }
    },
  );

  await t.test('contexts made by the Docker CLI: DOCKER_CONTEXT and the current context of config.json', async (t) => {
    const config = join(home, '.docker');
    const docker = (...args: string[]) =>
      execFileSync('docker', ['--config', config, ...args], { encoding: 'utf8', timeout: 20_000 });
    docker('context', 'create', 'second-unix', '--docker', `host=${unixd.host}`);
    docker('context', 'create', 'second-tcp', '--docker', `host=${tcpd.host}`);
    docker('context', 'use', 'second-unix');
    t.match(JSON.parse(readFileSync(join(config, 'config.json'), 'utf8')), { currentContext: 'second-unix' });
    t.ok(
      readFileSync(join(config, 'contexts', 'meta', contextDigest('second-tcp'), 'meta.json'), 'utf8'),
      'the CLI stores a context under the SHA-256 of its name',
    );

    const current = new DockerDriver({ env: { HOME: home } });
    t.match(await current.describe(), { kind: 'docker' });
    t.equal(await hasMainImage(current), false, 'config.json currentContext: the unix daemon');

    const named = new DockerDriver({ env: { HOME: home, DOCKER_CONTEXT: 'second-tcp' } });
    t.match(await named.describe(), { kind: 'docker' }, 'DOCKER_CONTEXT: the tcp daemon');
    const viaConfigVar = new DockerDriver({
      env: { HOME: '/nonexistent', DOCKER_CONFIG: config, DOCKER_CONTEXT: 'second-tcp' },
    });
    t.match(await viaConfigVar.describe(), { kind: 'docker' }, 'DOCKER_CONFIG names the folder');

    await tcpd.stop();
    const err = await new DockerDriver({ env: { HOME: home, DOCKER_CONTEXT: 'second-tcp' }, connectTimeoutMs: 3000 })
      .describe()
      .catch((e: unknown) => e);
    t.match(err, {
      code: 'ENGINE_UNREACHABLE',
      message: `No Docker engine answers at context "second-tcp" (${tcpd.host}, from DOCKER_CONTEXT)`,
    });
  });

  await Promise.all([unixd.stop(), tcpd.stop()]);
  const after = bridges();
  if (hadDocker0) t.ok(after.includes('docker0'), "the main daemon's docker0 is still there");
  t.same(
    after.filter((b) => b.startsWith('tpd')),
    [],
    'no bridge of the test daemons is left behind',
  );
});

/** The host's bridge interfaces (other runs' networks come and go meanwhile: compare only ours and docker0). */
function bridges(): string[] {
  const links = JSON.parse(execFileSync('ip', ['-j', 'link', 'show', 'type', 'bridge'], { encoding: 'utf8' })) as {
    ifname: string;
  }[];
  return links.map((l) => l.ifname).sort();
}
