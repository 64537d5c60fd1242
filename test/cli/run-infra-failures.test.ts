/** Infrastructure failures exit 3 with a message that says what to do; invalid plans exit 2 and start nothing. */
import t from 'tap';
import { join } from 'node:path';
import {
  assertNothingLeft,
  countLabelled,
  E2E_FIXTURES,
  FIXTURE_IMAGES,
  NOTHING,
  readOut,
  readResults,
  requireEngine,
  runCli,
  tempDir,
  writePlan,
} from './e2e-helpers.js';

const phases = { check: { image: 'client', services: ['stuck'], run: 'echo never-runs' } };

t.test(
  'a service that never becomes ready: exit 3, the report names it with the probe output and log tail',
  async (t) => {
    if (!requireEngine(t)) return;
    const out = tempDir('never-ready-out');
    const plan = {
      name: 'e2e-never-ready',
      images: { client: FIXTURE_IMAGES.client },
      services: {
        stuck: {
          image: 'client',
          command: 'echo stuck-service-says-hello; sleep 300',
          ready: { exec: 'echo probe-says-not-yet; exit 1', timeout: '2s' },
        },
      },
      phases,
    };
    const res = await runCli(['run', writePlan(plan), '--out', out]);
    t.equal(res.code, 3, `exit 3\n${res.stderr}`);
    const results = readResults(out);
    t.equal(results.verdict, 'error');
    const stuck = results.services.find((s) => s.name === 'stuck');
    t.equal(stuck?.status, 'not-ready');
    t.match(stuck?.message, /did not become ready within/, 'readiness gave up at its timeout');
    const report = readOut(out, 'report.md');
    t.match(report, /stuck/, 'report names the service');
    t.match(report, /probe-says-not-yet/, "report shows the probe's last output");
    t.match(report, /stuck-service-says-hello/, "report shows the service's log tail");
    t.match(res.stderr + res.stdout, /stuck/);
    t.not(results.phases.find((p) => p.name === 'check')?.status, 'passed');
    await assertNothingLeft(t, results);
  },
);

t.test('a service whose process exits fails at once with exit 3 (the probe timeout is not waited out)', async (t) => {
  if (!requireEngine(t)) return;
  const out = tempDir('exits-out');
  const plan = {
    name: 'e2e-service-exits',
    images: { client: FIXTURE_IMAGES.client },
    services: {
      stuck: { image: 'client', command: 'echo crashing-now; exit 7', ready: { exec: 'false', timeout: '60s' } },
    },
    phases,
  };
  const res = await runCli(['run', writePlan(plan), '--out', out]);
  t.equal(res.code, 3, `exit 3\n${res.stderr}`);
  const results = readResults(out);
  const stuck = results.services.find((s) => s.name === 'stuck');
  t.match(
    stuck,
    { status: 'exited', exitCode: 7, message: /exited with code 7 at \d{4}-.* before it became ready/ },
    'exited, never ready: the exit ended the wait, not the 60 s probe timeout',
  );
  t.ok(stuck?.exitedAt && Date.parse(stuck.exitedAt) > 0, `exitedAt ${stuck?.exitedAt}`);
  t.match(readOut(out, 'report.md'), /crashing-now/, "the report shows the service's last output");
  await assertNothingLeft(t, results);
});

t.test('an image build failure: exit 3, the message names the image', async (t) => {
  if (!requireEngine(t)) return;
  const out = tempDir('build-out');
  const plan = {
    name: 'e2e-build-fails',
    images: { brokenimg: { build: { context: join(E2E_FIXTURES, 'broken-image') } } },
    phases: { check: { image: 'brokenimg', run: 'true' } },
  };
  const res = await runCli(['run', writePlan(plan), '--out', out]);
  t.equal(res.code, 3, `exit 3\n${res.stderr}`);
  t.match(res.stderr + res.stdout, /brokenimg/, 'output names the image');
  const results = readResults(out);
  t.equal(results.verdict, 'error');
  t.match(readOut(out, 'report.md'), /brokenimg/, 'report names the image');
  await assertNothingLeft(t, results);
});

t.test('an invalid plan: exit 2, the message names the file and the path, and nothing is created', async (t) => {
  if (!requireEngine(t)) return;
  const before = await countLabelled('testplan.plan=e2e-invalid');
  const dir = tempDir('invalid');
  const file = writePlan(
    {
      name: 'e2e-invalid',
      images: FIXTURE_IMAGES,
      phases: { check: { image: 'client', services: ['redsi'], run: 'true' } },
    },
    dir,
  );
  const res = await runCli(['run', file, '--out', join(dir, 'out')]);
  t.equal(res.code, 2, `exit 2\n${res.stderr}`);
  t.match(res.stderr, /e2e-invalid\.plan\.yaml/, 'names the file');
  t.match(res.stderr, /phases\.check\.services/, 'names the path');
  t.match(res.stderr, /redsi/);
  t.same(before, NOTHING);
  t.same(await countLabelled('testplan.plan=e2e-invalid'), NOTHING, 'no container, network or volume created');
});

t.test('an unreachable engine: exit 3, the message names --driver local', async (t) => {
  if (!requireEngine(t)) return;
  const dir = tempDir('no-engine');
  const file = writePlan(
    {
      name: 'e2e-no-engine',
      images: { client: FIXTURE_IMAGES.client },
      phases: { check: { image: 'client', run: 'true' } },
    },
    dir,
  );
  const res = await runCli(['run', file, '--driver', 'docker', '--out', join(dir, 'out')], {
    env: { DOCKER_HOST: 'unix:///nonexistent.sock' },
  });
  t.equal(res.code, 3, `exit 3\n${res.stderr}`);
  t.match(res.stderr + res.stdout, /--driver local/);
  t.match(
    res.stderr + res.stdout,
    /DOCKER_HOST=unix:\/\/\/nonexistent\.sock/,
    'the message names the endpoint it tried',
  );
});
