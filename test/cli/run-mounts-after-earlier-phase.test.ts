/**
 * A phase that comes after another (needs / after) sees the files the earlier one left in a folder they
 * both mount, even when the earlier one replaced the folder itself (`rm -rf dist && mkdir dist`): a phase
 * prepared ahead must not bind its mounts before the phases it comes after are done.
 */
import t from 'tap';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURE_IMAGES, readResults, requireEngine, runCli, tempDir, writePlan } from './e2e-helpers.js';

t.test('a later phase mounts the folder an earlier phase replaced, and sees what it wrote', async (t) => {
  if (!requireEngine(t)) return;
  const project = tempDir('mounts-after');
  mkdirSync(join(project, 'dist'));
  writeFileSync(join(project, 'dist', 'stamp'), 'stale\n');
  const out = tempDir('mounts-after-out');
  const dist = join(project, 'dist');
  const plan = writePlan(
    {
      name: 'e2e-mounts-after',
      images: { client: FIXTURE_IMAGES.client },
      phases: {
        build: {
          image: 'client',
          mounts: [{ source: project, target: '/project' }],
          run: 'sleep 0.5; rm -rf /project/dist && mkdir /project/dist && echo fresh > /project/dist/stamp',
        },
        test: {
          image: 'client',
          needs: ['build'],
          mounts: [{ source: dist, target: '/dist', readOnly: true }],
          run: 'test "$(cat /dist/stamp)" = fresh',
        },
        report: {
          image: 'client',
          after: ['build'],
          mounts: [{ source: dist, target: '/dist', readOnly: true }],
          run: 'test "$(cat /dist/stamp)" = fresh',
        },
      },
    },
    project,
  );
  const res = await runCli(['run', plan, '--out', out, '--no-cache', '--concurrency', '1']);
  t.equal(res.code, 0, `exit 0\n${res.stdout}\n${res.stderr}`);
  t.same(
    readResults(out).phases.map((p) => [p.name, p.status]),
    [
      ['build', 'passed'],
      ['test', 'passed'],
      ['report', 'passed'],
    ],
  );
});
