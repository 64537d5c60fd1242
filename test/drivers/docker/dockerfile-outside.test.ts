/**
 * A Dockerfile outside its build context (`dockerfile: '../docker/Dockerfile.test'`), sent along as
 * the Docker CLI does; `<Dockerfile>.dockerignore` next to it wins over the context's `.dockerignore`.
 */
import t from 'tap';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { extract } from 'tar-stream';
import { packBuildContext } from '../../../src/drivers/docker/build-context.js';
import { cli } from '../../helpers/in-process-cli.js';
import { contextFor, makeRun, newDriver, requireEngine } from './harness.js';
import { tempDir } from '../../helpers/temp-dir.js';

function tree(files: Record<string, string>): string {
  const dir = tempDir('dockerfile');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

async function entries(tar: Readable): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const ex = extract();
  ex.on('entry', (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: unknown) => chunks.push(c as Buffer));
    stream.on('end', () => {
      out.set(header.name, Buffer.concat(chunks).toString('utf8'));
      next();
    });
  });
  await new Promise<void>((resolve, reject) => {
    ex.on('finish', resolve);
    ex.on('error', reject);
    tar.pipe(ex);
  });
  return out;
}

const DOCKERFILE = 'FROM testplan-base:bookworm\nCOPY . /ctx\nRUN cd /ctx && find . -type f | sort > /listing\n';

t.test(
  'packing: an outside Dockerfile goes into the tar under .dockerfile.<hash>, named in the sent .dockerignore',
  async (t) => {
    const root = tree({
      'app/src/app.txt': 'app',
      'app/.dockerignore': '*.log',
      'app/debug.log': 'left out',
      'docker/Dockerfile.test': DOCKERFILE,
    });
    t.teardown(() => rmSync(root, { recursive: true, force: true }));
    const packed = await packBuildContext(join(root, 'app'), '../docker/Dockerfile.test');
    t.match(packed.dockerfile, /^\.dockerfile\.[0-9a-f]{20}$/);
    const files = await entries(packed.tar);
    t.equal(files.get(packed.dockerfile), DOCKERFILE, 'the Dockerfile travels under the generated name');
    t.equal(files.get('.dockerignore'), `*.log\n${packed.dockerfile}\n`, 'the sent .dockerignore names it');
    t.ok(files.has('src/app.txt'));
    t.notOk(files.has('debug.log'), "the context's .dockerignore still applies");
    t.same(
      (await packBuildContext(join(root, 'app'), '../docker/Dockerfile.test')).dockerfile,
      packed.dockerfile,
      'the same Dockerfile gets the same name: the layer cache holds across runs',
    );

    const bare = tree({ 'ctx/a.txt': 'a', Dockerfile: DOCKERFILE });
    t.teardown(() => rmSync(bare, { recursive: true, force: true }));
    const noIgnore = await packBuildContext(join(bare, 'ctx'), join(bare, 'Dockerfile'));
    t.equal(
      (await entries(noIgnore.tar)).get('.dockerignore'),
      `.dockerignore\n${noIgnore.dockerfile}\n`,
      'without a .dockerignore, one is made that drops itself and the Dockerfile (as the CLI does); absolute paths work',
    );

    const inside = await packBuildContext(join(root, 'app'), 'src/../Dockerfile.none');
    t.equal(inside.dockerfile, 'Dockerfile.none', 'a Dockerfile inside the context keeps its path');
    t.ok((await entries(inside.tar)).has('src/app.txt'));
  },
);

t.test('packing: <Dockerfile>.dockerignore next to the Dockerfile wins over the context .dockerignore', async (t) => {
  const root = tree({
    'app/.dockerignore': 'kept-by-own.txt',
    'app/kept-by-own.txt': 'x',
    'app/secret.txt': 'x',
    'docker/Dockerfile.test': DOCKERFILE,
    'docker/Dockerfile.test.dockerignore': 'secret.txt\n',
  });
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  const files = await entries((await packBuildContext(join(root, 'app'), '../docker/Dockerfile.test')).tar);
  t.notOk(files.has('secret.txt'));
  t.ok(files.has('kept-by-own.txt'));
});

t.test(
  'a real build with the Dockerfile outside the context: the context arrives, the Dockerfile does not',
  async (t) => {
    if (!requireEngine(t)) return;
    const driver = newDriver();
    const run = makeRun(t, driver);
    const root = tree({
      'app/src/app.txt': run.runId,
      'app/secret.txt': 'left out',
      'docker/Dockerfile.test': DOCKERFILE,
      'docker/Dockerfile.test.dockerignore': 'secret.txt\n',
    });
    t.teardown(() => rmSync(root, { recursive: true, force: true }));
    const spec = {
      kind: 'build' as const,
      name: 'outside',
      context: join(root, 'app'),
      dockerfile: '../docker/Dockerfile.test',
      args: {},
    };
    const image = await driver.prepareImage(spec, contextFor(run));
    t.match(image.ref, /^sha256:/);
    t.equal((await driver.prepareImage(spec, contextFor(run))).cached, true, 'a rebuild hits the cache');
    await driver.createNetwork(run);
    const phase = await driver.runPhase(
      {
        name: 'listing',
        role: 'phase',
        attempt: 1,
        image,
        command: ['cat', '/listing'],
        env: {},
        mounts: [],
        sharedNamespace: false,
      },
      contextFor(run),
    );
    t.equal(phase.exitCode, 0);
    t.same(phase.logTail, ['./src/app.txt'], 'the context minus the ignored file; no Dockerfile, no .dockerignore');
    await driver.releasePhase(phase.handle);
  },
);

t.test(
  'plan check: a missing dockerfile or context is a plan problem naming the plan file and the path (exit 2)',
  async (t) => {
    const root = tree({
      'plans/app.plan.yaml': [
        'name: app',
        'images:',
        '  app: { build: { context: .., dockerfile: docker/Dockerfile.test } }',
        '  gone: { build: { context: ../nowhere } }',
        'phases:',
        '  unit: { image: app, run: npm test }',
        '  other: { image: gone, run: npm test }',
        '',
      ].join('\n'),
    });
    t.teardown(() => rmSync(root, { recursive: true, force: true }));
    const res = await cli(['check', 'plans/app.plan.yaml'], root);
    t.equal(res.code, 2);
    t.match(
      res.stderr,
      `${join(root, 'plans/app.plan.yaml')}:3:32: images.app.build.dockerfile: ${join(root, 'docker/Dockerfile.test')} does not exist: 'dockerfile' is relative to the build context (${root}); fix the path or create the file`,
    );
    t.match(res.stderr, `images.gone.build.context: ${join(root, 'nowhere')} is not a folder`);
    writeFileSync(join(root, 'Dockerfile'), DOCKERFILE);
    mkdirSync(join(root, 'docker'));
    writeFileSync(join(root, 'docker/Dockerfile.test'), DOCKERFILE);
    mkdirSync(join(root, 'nowhere'));
    writeFileSync(join(root, 'nowhere/Dockerfile'), DOCKERFILE);
    const fixed = await cli(['check', 'plans/app.plan.yaml'], root);
    t.equal(fixed.code, 0, fixed.stderr);
  },
);
