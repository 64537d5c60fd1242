import t from 'tap';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { contextFilter } from '../../../src/drivers/docker/build-context.js';
import { imageTag } from '../../../src/drivers/docker/build-image.js';
import { InfrastructureError } from '../../../src/errors.js';
import { requireEngine } from './harness.js';
import { contextFor, makeRun, newDriver } from './harness.js';
import { tempDir } from '../../helpers/temp-dir.js';

t.test('.dockerignore rules leave files out, keep exceptions, the Dockerfile and .dockerignore', async (t) => {
  const excluded = contextFilter(
    ['node_modules', '*.log', '!keep.log', 'secrets/', 'Dockerfile', '.dockerignore'],
    'Dockerfile',
  );
  t.equal(excluded('node_modules'), true);
  t.equal(excluded('node_modules/x/index.js'), true);
  t.equal(excluded('debug.log'), true);
  t.equal(excluded('keep.log'), false);
  t.equal(excluded('secrets/token'), true);
  t.equal(excluded('src/app.ts'), false);
  t.equal(excluded('Dockerfile'), false);
  t.equal(excluded('.dockerignore'), false);
});

t.test('image tags are valid and stable per plan and image', async (t) => {
  t.equal(imageTag('Ingester Module', 'app'), 'testplan/ingester-module-app:latest');
  t.equal(imageTag('p', 'app'), imageTag('p', 'app'));
});

function writeContext(files: Record<string, string>): string {
  const dir = tempDir('ctx');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

t.test('builds from a context with target, build args and .dockerignore; a rebuild hits the cache', async (t) => {
  if (!requireEngine(t)) return;
  const driver = newDriver();
  const run = makeRun(t, driver);
  const marker = `${run.runId}`;
  const context = writeContext({
    'build/Dockerfile.test': [
      'ARG BASE=testplan-base:bookworm',
      'FROM ${BASE} AS test',
      'ARG GREETING=unset',
      'COPY . /ctx',
      'RUN echo "$GREETING" > /greeting',
      'FROM test AS broken',
      'RUN exit 42',
    ].join('\n'),
    '.dockerignore': 'node_modules\n*.log\n!keep.log\nsecret/\n',
    'src/app.txt': marker,
    'keep.log': 'kept',
    'debug.log': 'ignored',
    'node_modules/dep/index.js': 'ignored',
    'secret/token': 'ignored',
  });
  const ctx = contextFor(run);
  const spec = {
    kind: 'build' as const,
    name: 'app',
    context,
    dockerfile: 'build/Dockerfile.test',
    target: 'test',
    args: { GREETING: `hello-${marker}` },
  };
  const first = await driver.prepareImage(spec, ctx);
  t.match(first.ref, /^sha256:[0-9a-f]{64}$/, 'the handle refers to the image id, not a tag another run could move');
  t.equal(first.cached, false, 'new content: steps ran');
  t.ok(
    ctx.lines.some((l) => /Step \d+\/\d+ : COPY/.test(l.line)),
    'build output streamed line by line',
  );

  const again = await driver.prepareImage(spec, contextFor(run));
  t.equal(again.ref, first.ref);
  t.equal(again.cached, true, 'same content: every step from the cache');

  await driver.createNetwork(run);
  const phase = await driver.runPhase(
    {
      name: 'inspect',
      role: 'phase',
      attempt: 1,
      image: first,
      command: ['sh', '-c', 'cat /greeting; cd /ctx && find . -type f | sort'],
      env: {},
      mounts: [],
      sharedNamespace: false,
    },
    contextFor(run),
  );
  t.equal(phase.exitCode, 0);
  const out = phase.logTail.join('\n');
  t.match(out, `hello-${marker}`, 'build arg reached the build');
  t.match(out, './src/app.txt');
  t.match(out, './keep.log', '!exception kept');
  t.match(out, './.dockerignore');
  t.match(out, './build/Dockerfile.test');
  t.notMatch(out, 'debug.log');
  t.notMatch(out, 'node_modules');
  t.notMatch(out, 'secret/token');
  await driver.releasePhase(phase.handle);
});

t.test('a failing build is IMAGE_BUILD_FAILED with the failing step and its last lines', async (t) => {
  if (!requireEngine(t)) return;
  const driver = newDriver();
  const run = makeRun(t, driver);
  const context = writeContext({
    Dockerfile: `FROM testplan-base:bookworm\nRUN echo "about to fail ${run.runId}" && exit 7\n`,
  });
  const err = await driver
    .prepareImage({ kind: 'build', name: 'bad', context, dockerfile: 'Dockerfile', args: {} }, contextFor(run))
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  t.ok(err instanceof InfrastructureError);
  t.match(err, { code: 'IMAGE_BUILD_FAILED', exitCode: 3 });
  const message = err instanceof Error ? err.message : '';
  t.match(message, 'Image "bad"');
  t.match(message, `about to fail ${run.runId}`, 'the step output is in the message');
  t.match(message, /returned a non-zero code: 7/);
});

t.test('an unknown ref that cannot be pulled offline is IMAGE_PULL_FAILED naming the image', async (t) => {
  if (!requireEngine(t)) return;
  const driver = newDriver();
  const run = makeRun(t, driver);
  const ref = 'testplan-nonexistent/never-built:1.0';
  const err = await driver.resolveImageRef(ref, contextFor(run)).then(
    () => undefined,
    (e: unknown) => e,
  );
  t.match(err, { code: 'IMAGE_PULL_FAILED', exitCode: 3 });
  t.match(err instanceof Error ? err.message : '', ref);
  t.match(err instanceof Error ? err.message : '', /build or load/);

  const never = await driver.prepareImage({ kind: 'ref', name: 'x', ref, pull: 'never' }, contextFor(run)).then(
    () => undefined,
    (e: unknown) => e,
  );
  t.match(never, { code: 'IMAGE_NOT_FOUND' });

  const present = await driver.prepareImage(
    { kind: 'ref', name: 'base', ref: 'testplan-base:bookworm', pull: 'missing' },
    contextFor(run),
  );
  t.match(present, { name: 'base', cached: true, ref: /^sha256:/ });
  const always = await driver
    .prepareImage({ kind: 'ref', name: 'base', ref: 'testplan-base:bookworm', pull: 'always' }, contextFor(run))
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  t.match(always, { code: 'IMAGE_PULL_FAILED' }, 'pull: always really asks the registry');
});
