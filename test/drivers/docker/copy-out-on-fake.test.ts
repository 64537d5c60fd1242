/** Copy-out of the Docker driver on the fake engine: files, folders, missing paths, engine faults, failed phases. */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EngineError } from '../../../src/drivers/docker/engine/engine-error.js';
import { contextFor, fakeRun, onFake, phase } from './on-fake.js';
import { tempDir } from '../../helpers/temp-dir.js';

/** A phase that wrote `files` and exited with `exitCode`. */
async function finishedPhase(files: Record<string, string>, exitCode = 0) {
  const { engine, driver } = onFake();
  const run = fakeRun();
  await driver.createNetwork(run);
  engine.onStart = (c) => {
    for (const [path, content] of Object.entries(files)) c.files.set(path, content);
    setImmediate(() => engine.exit(c.id, exitCode));
  };
  const outcome = await driver.runPhase(phase('unit'), contextFor(run));
  const dest = tempDir('fake-collect');
  return { engine, driver, outcome, dest };
}

t.test('files and folders come out under the path the phase named; a missing path says so', async (t) => {
  const { driver, outcome, dest } = await finishedPhase({
    '/out/junit.xml': '<testsuite/>\n',
    '/out/cov/': '',
    '/out/cov/lines.txt': '80\n',
  });
  const collected = await driver.collect(outcome.handle, ['/out/junit.xml', '/out/cov/', '/out/missing.xml'], dest);
  t.same(collected[0], {
    source: '/out/junit.xml',
    path: join(dest, 'files', 'out', 'junit.xml'),
    writtenByPhase: true,
  });
  t.equal(readFileSync(join(dest, 'files', 'out', 'junit.xml'), 'utf8'), '<testsuite/>\n');
  t.same(collected[1], { source: '/out/cov/', path: join(dest, 'files', 'out', 'cov'), writtenByPhase: true });
  t.equal(readFileSync(join(dest, 'files', 'out', 'cov', 'lines.txt'), 'utf8'), '80\n');
  t.match(collected[2], { source: '/out/missing.xml', error: /does not exist in the container/ });
  t.notOk(collected[2]?.path);
});

t.test('the files of a failed phase are copied out too', async (t) => {
  const { driver, outcome, dest } = await finishedPhase({ '/out/junit.xml': '<failure/>' }, 1);
  t.equal(outcome.exitCode, 1);
  const [junit] = await driver.collect(outcome.handle, ['/out/junit.xml'], dest);
  t.same(junit, { source: '/out/junit.xml', path: join(dest, 'files', 'out', 'junit.xml'), writtenByPhase: true });
  t.equal(readFileSync(join(dest, 'files', 'out', 'junit.xml'), 'utf8'), '<failure/>');
});

t.test('an archive that breaks mid-stream is an error for that path only', async (t) => {
  const big = 'x'.repeat(64 * 1024);
  const { engine, driver, outcome, dest } = await finishedPhase({
    '/out/big.bin': big,
    '/out/junit.xml': '<testsuite/>',
  });
  engine.brokenArchives.add('/out/big.bin');
  const [broken, fine] = await driver.collect(outcome.handle, ['/out/big.bin', '/out/junit.xml'], dest);
  t.match(broken, { source: '/out/big.bin', error: /could not unpack \/out\/big\.bin: / });
  t.notOk(broken?.path, 'no path for a file that did not come out whole');
  t.same(fine, { source: '/out/junit.xml', path: join(dest, 'files', 'out', 'junit.xml'), writtenByPhase: true });
});

t.test('an engine error on the archive call names the path and the cause', async (t) => {
  const { engine, driver, outcome, dest } = await finishedPhase({ '/out/junit.xml': '<testsuite/>' });
  engine.failOn('archive.read', () => new EngineError('Error response from daemon: disk quota exceeded', 500));
  const [junit] = await driver.collect(outcome.handle, ['/out/junit.xml'], dest);
  t.match(junit, {
    source: '/out/junit.xml',
    error: 'could not copy /out/junit.xml out: Error response from daemon: disk quota exceeded',
  });
});

t.test('after release the container is gone, and copy-out says so', async (t) => {
  const { driver, outcome, dest } = await finishedPhase({ '/out/junit.xml': '<testsuite/>' });
  await driver.releasePhase(outcome.handle);
  const [junit] = await driver.collect(outcome.handle, ['/out/junit.xml'], dest);
  t.match(junit, { error: /the phase container is gone/ });
});

t.test('a file that came with the image is not written by this phase; one the phase rewrote is', async (t) => {
  const { engine, driver } = onFake();
  const run = fakeRun();
  await driver.createNetwork(run);
  engine.onStart = (c) => {
    c.files.set('/out/junit.xml', '<testsuite/>');
    c.baked.add('/out/junit.xml');
    c.files.set('/out/lcov.info', 'SF:a\nend_of_record\n');
    setImmediate(() => engine.exit(c.id, 0));
  };
  const outcome = await driver.runPhase(phase('unit'), contextFor(run));
  const dest = tempDir('fake-collect');
  const [baked, written] = await driver.collect(outcome.handle, ['/out/junit.xml', '/out/lcov.info'], dest);
  t.match(baked, { source: '/out/junit.xml', writtenByPhase: false });
  t.match(written, { source: '/out/lcov.info', writtenByPhase: true });
});
