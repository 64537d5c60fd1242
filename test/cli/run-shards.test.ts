/**
 * `plan run` of a sharded phase on Docker: the files listed in the container, three shards each with
 * its own Redis (each shard flushes it and checks that only its own keys are there: a shared Redis
 * breaks that), results merged by case, per-shard results, nothing left; a failing shard fails the phase;
 * a shard that writes no results is an error, not a pass.
 */
import t from 'tap';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import {
  assertNothingLeft,
  countLabelled,
  FIXTURE_IMAGES,
  readOut,
  readResults,
  requireEngine,
  runCli,
  sleep,
  tempDir,
  waitForOutput,
  writePlan,
} from './e2e-helpers.js';

/** The suite: six test files (`t/NN.sh`, exit 0 = pass), and the shard runner that writes TAP. */
const RUNNER = `#!/bin/sh
R="redis-cli -h $REDIS_HOST -p $REDIS_PORT"
$R flushall >/dev/null
for f in $TESTPLAN_SHARD_FILES; do $R set "key:$f" "$TESTPLAN_SHARD_INDEX" >/dev/null; done
sleep 1
mine=$(printf '%s\\n' "$TESTPLAN_SHARD_FILES" | wc -l)
n=0; failed=0; body=""
for f in $TESTPLAN_SHARD_FILES; do
  n=$((n + 1))
  if [ "$($R dbsize)" = "$mine" ] && [ "$($R get "key:$f")" = "$TESTPLAN_SHARD_INDEX" ] && sh "$f"; then
    body="\${body}ok $n - $f
"
  else
    failed=$((failed + 1)); body="\${body}not ok $n - $f (keys: $($R dbsize), mine: $mine)
"
  fi
done
[ "\${SKIP_RESULTS_IN:-0}" = "$TESTPLAN_SHARD_INDEX" ] && exit 0
mkdir -p /out; printf 'TAP version 13\\n%s1..%s\\n' "$body" "$n" > /out/shard.tap
[ "$failed" -eq 0 ]
`;

function suite(failing?: string): string {
  const dir = tempDir('shard-suite');
  mkdirSync(join(dir, 't'));
  for (let i = 1; i <= 6; i++) {
    const name = `t/0${i}.sh`;
    writeFileSync(join(dir, name), name === failing ? 'exit 1\n' : `# ${'x'.repeat(i * 40)}\nexit 0\n`);
  }
  writeFileSync(join(dir, 'run-shard.sh'), RUNNER);
  chmodSync(join(dir, 'run-shard.sh'), 0o755);
  return dir;
}

function shardPlan(name: string, dir: string, env: Record<string, string> = {}): Record<string, unknown> {
  return {
    name,
    images: FIXTURE_IMAGES,
    services: { redis: { image: 'redis', ready: { preset: 'redis' } } },
    phases: {
      suite: {
        image: 'client',
        services: ['redis'],
        mounts: [{ source: dir, target: '/suite', readOnly: true }],
        workdir: '/suite',
        shard: { count: 3, files: 't/*.sh' },
        env: { REDIS_HOST: '${redis.host}', REDIS_PORT: '${redis.port}', ...env },
        run: 'sh /suite/run-shard.sh',
        results: { tap: '/out/shard.tap' },
      },
    },
  };
}

t.test('three shards, each with its own Redis: exact merged counts, per-shard results, nothing left', async (t) => {
  if (!requireEngine(t)) return;
  const out = tempDir('shards-out');
  const res = await runCli(['run', writePlan(shardPlan('e2e-shards', suite())), '--out', out, '--concurrency', '4']);
  t.equal(res.code, 0, `exit 0\n${res.stderr}`);
  const results = readResults(out);
  const phase = results.phases[0]!;
  t.equal(phase.status, 'passed', phase.message ?? '');
  t.same(phase.counts, { total: 6, passed: 6, failed: 0, errored: 0, skipped: 0 });
  const shards = phase.shards!;
  t.equal(shards.split, 'size');
  t.same(
    shards.list.map((s) => s.counts?.total),
    [2, 2, 2],
  );
  t.same(shards.list.flatMap((s) => s.files ?? []).sort(), [
    't/01.sh',
    't/02.sh',
    't/03.sh',
    't/04.sh',
    't/05.sh',
    't/06.sh',
  ]);
  t.same(
    shards.list.map((s) => s.services.map((i) => i.instance)),
    [['redis--suite-s1'], ['redis--suite-s2'], ['redis--suite-s3']],
  );
  t.same(results.services, [], 'no run-wide Redis');
  for (const s of shards.list)
    t.ok(
      existsSync(join(out, `phases/suite/shards/${s.index}/files/out/shard.tap`)),
      `shard ${s.index}'s TAP kept apart`,
    );
  t.match(readOut(out, 'report.md'), /### Shards of suite/);
  await assertNothingLeft(t, results);
});

t.test('the same plan made worse: a failing test fails its shard and the phase (exit 1)', async (t) => {
  if (!requireEngine(t)) return;
  const out = tempDir('shards-fail-out');
  const res = await runCli([
    'run',
    writePlan(shardPlan('e2e-shards-fail', suite('t/04.sh'))),
    '--out',
    out,
    '--concurrency',
    '4',
  ]);
  t.equal(res.code, 1, `exit 1\n${res.stderr}`);
  const results = readResults(out);
  const phase = results.phases[0]!;
  t.equal(phase.status, 'failed');
  t.same(phase.counts, { total: 6, passed: 5, failed: 1, errored: 0, skipped: 0 });
  const bad = phase.shards!.list.filter((s) => s.status !== 'passed');
  t.equal(bad.length, 1);
  t.ok(bad[0]!.files?.includes('t/04.sh'));
  await assertNothingLeft(t, results);
});

t.test('a shard that writes no results is an error, not a pass of the other two', async (t) => {
  if (!requireEngine(t)) return;
  const out = tempDir('shards-missing-out');
  const plan = shardPlan('e2e-shards-missing', suite(), { SKIP_RESULTS_IN: '2' });
  const res = await runCli(['run', writePlan(plan), '--out', out, '--concurrency', '4']);
  t.equal(res.code, 1, `exit 1\n${res.stderr}`);
  const results = readResults(out);
  const phase = results.phases[0]!;
  t.equal(phase.status, 'error');
  t.match(phase.errors[0]?.message ?? '', /shard 2\/3: .*shard\.tap/);
  t.notOk(phase.counts, 'no counts from two thirds of the suite');
  await assertNothingLeft(t, results);
});

t.test('Ctrl-C while three shards sleep: exit 130, interrupted, every shard container and Redis removed', async (t) => {
  if (!requireEngine(t)) return;
  const name = 'e2e-shards-sigint';
  const out = tempDir('shards-sigint-out');
  let child: ChildProcess | undefined;
  let midRun = { containers: -1, networks: -1, volumes: -1 };
  const plan = {
    name,
    images: FIXTURE_IMAGES,
    services: { redis: { image: 'redis', ready: { preset: 'redis' } } },
    phases: {
      sleeper: {
        image: 'client',
        services: ['redis'],
        shard: 3,
        run: 'echo sleeping-now-${shard.index}; sleep 60',
      },
    },
  };
  const res = await runCli(['run', writePlan(plan), '--out', out, '--concurrency', '3', '--reporter', 'plain'], {
    onSpawn: (c) => {
      child = c;
      void Promise.all([1, 2, 3].map((i) => waitForOutput(c, new RegExp(`sleeping-now-${i}`))))
        .then(async () => {
          await sleep(300);
          midRun = await countLabelled(`testplan.plan=${name}`);
          child?.kill('SIGINT');
        })
        .catch((err: unknown) => t.fail(String(err)));
    },
  });
  t.ok(midRun.containers >= 6, `three shards and three Redis held mid-run (${JSON.stringify(midRun)})`);
  t.equal(res.code, 130, `exit 130\n${res.stderr}`);
  const results = readResults(out);
  t.equal(results.verdict, 'interrupted');
  t.not(results.phases[0]?.status, 'passed');
  await assertNothingLeft(t, results);
});
