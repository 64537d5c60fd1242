/** Sharded phases through runPlan on the recording fake driver: listing, split, per-shard services, merge, failures. */
import t from 'tap';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { compilePlan } from '../../src/compile/compile.js';
import type { TestPlan } from '../../src/dsl/plan.js';
import { runIdentity } from '../../src/run/run-identity.js';
import { runPlan } from '../../src/run/run-plan.js';
import { renderMarkdown } from '../../src/report/markdown/render-markdown.js';
import { FakeDriver, type FakeBehaviour } from '../helpers/fake-driver.js';
import { phase, plan, service } from '../helpers/plan-builder.js';
import { tempDir } from '../helpers/temp-dir.js';

const FILES = ['test/a.test.js', 'test/b.test.js', 'test/c.test.js', 'test/d.test.js', 'test/e.test.js'];
const SIZES = [500, 400, 300, 200, 100];
const listing = FILES.map((f, i) => `${SIZES[i]} ${f}`).concat(['50 test/helper.js']);

const junit = (cases: { file: string; name: string; failed?: boolean; ms?: number }[]): string =>
  `<testsuites><testsuite name="s" tests="${cases.length}">${cases
    .map(
      (c) =>
        `<testcase classname="s" name="${c.name}" file="${c.file}" time="${(c.ms ?? 10) / 1000}">${c.failed ? '<failure message="boom"/>' : ''}</testcase>`,
    )
    .join('')}</testsuite></testsuites>`;

function shardedPlan(overrides: Parameters<typeof phase>[1] = {}): TestPlan {
  return plan({
    services: [service('redis')],
    phases: [
      phase('unit', {
        services: ['redis'],
        shard: { count: 2, files: 'test/**/*.test.js' },
        env: { REDIS: '${redis.host}:${redis.port}', SHARD: '${shard.index}/${shard.count}' },
        results: { format: 'junit', path: '/out/junit.xml' },
        ...overrides,
      }),
    ],
  });
}

/** Each shard's JUnit: one passing case per file it was given (read from its request's env). */
function perShardJunit(driver: FakeDriver, behaviour: FakeBehaviour): void {
  const original = driver.runPhase.bind(driver);
  driver.runPhase = async (req, ctx) => {
    const files = req.env['TESTPLAN_SHARD_FILES']?.split('\n') ?? [];
    behaviour.filesByPhase ??= {};
    behaviour.filesByPhase[req.name] ??= {
      '/out/junit.xml': junit(files.map((file) => ({ file, name: `${file} works` }))),
    };
    return original(req, ctx);
  };
}

async function run(p: TestPlan, behaviour: FakeBehaviour, outDir = tempDir('shards')) {
  const driver = new FakeDriver(behaviour);
  perShardJunit(driver, behaviour);
  const results = await runPlan({
    plan: p,
    graph: compilePlan(p),
    driver,
    run: runIdentity(p.name, `run-${Math.random().toString(36).slice(2, 8)}`, path.join(outDir, 'run')),
    concurrency: 4,
    signal: new AbortController().signal,
    onEvent: () => {},
  });
  return { results, driver, outDir };
}

t.test(
  'files are listed in the image, split by size, and each shard gets its files, its position and its own Redis',
  async (t) => {
    const { results, driver } = await run(shardedPlan(), { logs: { 'unit-list': listing } });
    t.equal(results.verdict, 'passed', results.message ?? '');
    const unit = results.phases[0]!;
    t.same(unit.counts, { total: 5, passed: 5, failed: 0, errored: 0, skipped: 0 }, 'every file once, merged by case');
    t.equal(unit.shards?.split, 'size');
    const [s1, s2] = unit.shards!.list;
    t.same(s1!.files, ['test/a.test.js', 'test/d.test.js', 'test/e.test.js'], '500+200+100');
    t.same(s2!.files, ['test/b.test.js', 'test/c.test.js'], '400+300');
    t.same(
      s1!.services.map((s) => s.instance),
      ['redis--unit-s1'],
    );
    t.same(
      s2!.services.map((s) => s.instance),
      ['redis--unit-s2'],
    );
    const req = (name: string) => driver.requests.find((r) => r.name === name)!;
    t.equal(req('unit-s2').env['TESTPLAN_SHARD_FILES'], 'test/b.test.js\ntest/c.test.js');
    t.equal(req('unit-s2').env['TESTPLAN_SHARD_INDEX'], '2');
    t.equal(req('unit-s2').env['TESTPLAN_SHARD_COUNT'], '2');
    t.equal(req('unit-s2').env['SHARD'], '2/2', '${shard.index}/${shard.count}');
    t.equal(req('unit-s2').env['REDIS'], 'redis--unit-s2:1000', 'the shard reaches its own instance');
    t.same(
      driver.calls.filter((c) => c.startsWith('start ') || c.startsWith('stop ')).sort(),
      ['start redis--unit-s1', 'start redis--unit-s2', 'stop redis--unit-s1', 'stop redis--unit-s2'],
      'no run-wide redis; each instance stopped',
    );
    t.match(renderMarkdown(results), /### Shards of unit\n\n_2 shards, split by file size .*Balance: slowest/);
  },
);

t.test("the next run splits by the last run's per-file times", async (t) => {
  const first = await run(shardedPlan(), { logs: { 'unit-list': listing } });
  const fileMs = Object.assign({}, ...first.results.phases[0]!.shards!.list.map((s) => s.fileMs));
  t.same(Object.keys(fileMs).sort(), FILES);
  // Pretend e was slow: the next split must put it alone.
  const dir = path.join(first.outDir, 'run');
  const edited = structuredClone(first.results) as unknown as {
    phases: { shards: { list: { fileMs: Record<string, number> }[] } }[];
  };
  for (const s of edited.phases[0]!.shards.list)
    for (const f of Object.keys(s.fileMs)) s.fileMs[f] = f.includes('/e.') ? 1000 : 10;
  writeFileSync(path.join(dir, 'results.json'), JSON.stringify(edited));
  const second = await run(shardedPlan(), { logs: { 'unit-list': listing } }, first.outDir);
  const shards = second.results.phases[0]!.shards!;
  t.equal(shards.split, 'duration');
  t.same(
    shards.list.map((s) => s.files),
    [['test/e.test.js'], ['test/a.test.js', 'test/b.test.js', 'test/c.test.js', 'test/d.test.js']],
  );
});

t.test('a failing shard fails the phase; retries are per shard', async (t) => {
  const failing = await run(shardedPlan(), { logs: { 'unit-list': listing }, exitCodes: { 'unit-s2': [1] } });
  t.equal(failing.results.verdict, 'failed');
  t.equal(failing.results.phases[0]!.status, 'failed');
  t.match(failing.results.phases[0]!.message, /shard 2\/2: exited with code 1/);
  t.same(
    failing.results.phases[0]!.shards!.list.map((s) => s.status),
    ['passed', 'failed'],
  );
  const retried = await run(shardedPlan({ retries: 1 }), {
    logs: { 'unit-list': listing },
    exitCodes: { 'unit-s2': [1, 0] },
  });
  t.equal(retried.results.verdict, 'passed', retried.results.message ?? '');
  t.same(
    retried.results.phases[0]!.shards!.list.map((s) => s.attempts.length),
    [1, 2],
    'only the failing shard ran again',
  );
});

t.test("a shard's stale or missing results make the phase an error, never a smaller pass", async (t) => {
  const stale = await run(shardedPlan(), { logs: { 'unit-list': listing }, stale: ['unit-s2:/out/junit.xml'] });
  t.equal(stale.results.verdict, 'failed');
  t.equal(stale.results.phases[0]!.status, 'error');
  t.match(stale.results.phases[0]!.errors[0]?.message, /shard 2\/2: \/out\/junit.xml was not written by this phase/);
  t.notOk(stale.results.phases[0]!.counts, 'no counts from three fifths of the suite');

  const missing = await run(shardedPlan(), {
    logs: { 'unit-list': listing },
    filesByPhase: { 'unit-s1': {} },
    files: {},
  });
  t.equal(missing.results.phases[0]!.status, 'error');
  t.match(missing.results.phases[0]!.errors[0]?.message, /shard 1\/2: .*junit\.xml/);
});

t.test('a shard that ran zero tests fails the phase', async (t) => {
  const { results } = await run(shardedPlan(), {
    logs: { 'unit-list': listing },
    filesByPhase: { 'unit-s1': { '/out/junit.xml': junit([]) } },
  });
  t.equal(results.phases[0]!.status, 'failed');
  t.match(results.phases[0]!.message, /shard 1\/2: the phase ran zero tests/);
});

t.test('fewer files than shards runs one shard per file; no match is an error before any shard', async (t) => {
  const few = await run(shardedPlan({ shard: { count: 4, files: 'test/**/*.test.js' } }), {
    logs: { 'unit-list': ['10 test/a.test.js', '20 test/b.test.js'] },
  });
  t.equal(few.results.verdict, 'passed', few.results.message ?? '');
  t.equal(few.results.phases[0]!.shards!.list.length, 2);
  t.equal(few.results.phases[0]!.shards!.requested, 4);
  const none = await run(shardedPlan(), { logs: { 'unit-list': ['10 src/a.js'] } });
  t.equal(none.results.phases[0]!.status, 'error');
  t.match(none.results.phases[0]!.message, /shard\.files \('test\/\*\*\/\*\.test\.js'\) matched no file/);
  t.notOk(
    none.driver.calls.some((c) => c.startsWith('start ')),
    'no shard service started',
  );
});

t.test('shard: N runs N shards without a listing; --concurrency bounds them', async (t) => {
  const p = plan({
    phases: [phase('unit', { shard: { count: 4 }, command: ['vitest', '--shard=${shard.index}/${shard.count}'] })],
  });
  const driver = new FakeDriver({ durations: { 'unit-s1': 30, 'unit-s2': 30, 'unit-s3': 30, 'unit-s4': 30 } });
  const results = await runPlan({
    plan: p,
    graph: compilePlan(p),
    driver,
    run: runIdentity(p.name, 'run-n', tempDir('shards')),
    concurrency: 2,
    signal: new AbortController().signal,
    onEvent: () => {},
  });
  t.equal(results.verdict, 'passed', results.message ?? '');
  t.same(driver.requests.map((r) => r.command.join(' ')).sort(), [
    'vitest --shard=1/4',
    'vitest --shard=2/4',
    'vitest --shard=3/4',
    'vitest --shard=4/4',
  ]);
  t.notOk(
    driver.requests.some((r) => r.name === 'unit-list'),
    'no listing',
  );
  t.equal(driver.maxConcurrent, 2, 'two at a time');
  t.equal(results.phases[0]!.shards!.split, 'runner');
});
