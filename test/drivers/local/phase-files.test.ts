import t from 'tap';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectPhaseFiles, hostPathOf } from '../../../src/drivers/local/phase-files.js';
import { tempDir } from './real-process-helpers.js';

const folders = { outDir: '/tmp/tp-out-1', workdir: '/repo/app' };

t.test('container paths map to host paths', async (t) => {
  t.equal(hostPathOf('/out/junit.xml', folders), '/tmp/tp-out-1/junit.xml');
  t.equal(hostPathOf('/out/reports/cov.xml', folders), '/tmp/tp-out-1/reports/cov.xml');
  t.equal(hostPathOf('/out', folders), '/tmp/tp-out-1');
  t.equal(hostPathOf('/output/x', folders), '/output/x', 'only /out itself, not every path starting with it');
  t.equal(hostPathOf('/var/log/app.log', folders), '/var/log/app.log', 'other absolute paths as they are');
  t.equal(hostPathOf('coverage/lcov.info', folders), '/repo/app/coverage/lcov.info', 'relative to the workdir');
});

t.test('collect copies files and folders under the path the phase named and reports what is missing', async (t) => {
  const out = tempDir('local-test');
  const dest = tempDir('local-test');
  writeFileSync(join(out, 'junit.xml'), '<x/>');
  mkdirSync(join(out, 'html'));
  writeFileSync(join(out, 'html', 'a.html'), 'a');
  const files = await collectPhaseFiles(
    ['/out/junit.xml', '/out/html', '/out/none.xml'],
    { outDir: out, workdir: out },
    dest,
    new Map(),
  );
  t.same(files.slice(0, 2), [
    { source: '/out/junit.xml', path: join(dest, 'files', 'out', 'junit.xml'), writtenByPhase: true },
    { source: '/out/html', path: join(dest, 'files', 'out', 'html'), writtenByPhase: true },
  ]);
  t.equal(files[2]?.source, '/out/none.xml');
  t.equal(files[2]?.path, undefined);
  t.match(files[2]?.error, new RegExp(`not written \\(looked at ${join(out, 'none.xml')}`));
});
