/** Phase timeouts and artifact copy-out (files and folders), also from failed and timed-out phases. */
import t from 'tap';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  assertNothingLeft,
  FIXTURE_IMAGES,
  frontMatter,
  readOut,
  readResults,
  requireEngine,
  runCli,
  tempDir,
  writePlan,
} from './e2e-helpers.js';

const plan = {
  name: 'e2e-timeout',
  images: { client: FIXTURE_IMAGES.client },
  phases: {
    slow: {
      image: 'client',
      run: 'mkdir -p /out/dir && echo written-before-timeout > /out/before.txt && echo nested > /out/dir/nested.txt && sleep 30',
      timeout: '2s',
      artifacts: ['/out/before.txt', '/out/dir'],
    },
    broken: {
      image: 'client',
      run: 'mkdir -p /out/logs/deep && echo failing-report > /out/report.txt && echo deep-log > /out/logs/deep/a.log && exit 4',
      artifacts: ['/out/report.txt', '/out/logs'],
    },
    fine: {
      image: 'client',
      run: 'mkdir -p /out && echo fine > /out/fine.txt',
      artifacts: ['/out/fine.txt'],
    },
  },
};

t.test('a phase timeout fails the phase as timed out, and artifacts are copied out of every phase', async (t) => {
  if (!requireEngine(t)) return;
  const out = tempDir('timeout-out');
  const res = await runCli(['run', writePlan(plan), '--out', out]);
  t.equal(res.code, 1, `exit 1\n${res.stderr}`);

  const results = readResults(out);
  t.equal(results.verdict, 'failed');
  t.match(frontMatter(readOut(out, 'report.md')), /^status: failed$/m);
  const slow = results.phases.find((p) => p.name === 'slow');
  t.equal(slow?.status, 'failed');
  t.equal(slow?.attempts.at(-1)?.timedOut, true, 'the attempt is recorded as timed out');
  t.match(slow?.message ?? '', /timed out after \d+ ms/, 'the phase message says it timed out');

  const broken = results.phases.find((p) => p.name === 'broken');
  t.equal(broken?.status, 'failed');
  t.equal(broken?.attempts.at(-1)?.exitCode, 4);
  t.equal(results.phases.find((p) => p.name === 'fine')?.status, 'passed');

  const file = (phase: string, ...parts: string[]) => join(out, 'phases', phase, 'files', 'out', ...parts);
  t.equal(
    readFileSync(file('slow', 'before.txt'), 'utf8'),
    'written-before-timeout\n',
    'file written before the timeout copied out',
  );
  t.equal(
    readFileSync(file('slow', 'dir', 'nested.txt'), 'utf8'),
    'nested\n',
    'folder of the timed-out phase copied out',
  );
  t.equal(
    readFileSync(file('broken', 'report.txt'), 'utf8'),
    'failing-report\n',
    'file of the failed phase copied out',
  );
  t.equal(
    readFileSync(file('broken', 'logs', 'deep', 'a.log'), 'utf8'),
    'deep-log\n',
    'nested folder of the failed phase copied out',
  );
  t.ok(existsSync(file('fine', 'fine.txt')));
  t.ok(
    broken?.artifacts.some((a) => /report\.txt$/.test(a)),
    'results.json lists the artifacts',
  );
  await assertNothingLeft(t, results);
});
