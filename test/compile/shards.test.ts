import t from 'tap';
import { compilePlan } from '../../src/compile/compile.js';
import { shardServiceOrder, splitShardFiles, type ShardFile } from '../../src/compile/shards.js';
import { listingScript, parseListing } from '../../src/execute/list-shard-files.js';
import { phase, plan, service } from '../helpers/plan-builder.js';

const files = (sizes: Record<string, number>): ShardFile[] =>
  Object.entries(sizes).map(([path, sizeBytes]) => ({ path, sizeBytes }));
const loads = (split: ReturnType<typeof splitShardFiles>) => split.groups.map((g) => g.weight);

t.test('without history files split by size, longest first, each to the lightest shard', async (t) => {
  const split = splitShardFiles(files({ 'a.ts': 900, 'b.ts': 500, 'c.ts': 400, 'd.ts': 300, 'e.ts': 100 }), 2);
  t.equal(split.by, 'size');
  t.same(
    split.groups.map((g) => g.files),
    [
      ['a.ts', 'd.ts'],
      ['b.ts', 'c.ts', 'e.ts'],
    ],
    'a 900 | b 500, c 400 → 900 | d 300 ties, to the lower index | e 100',
  );
  t.same(loads(split), [1200, 1000]);
});

t.test("with the last run's durations, the split balances time, not bytes", async (t) => {
  // By size these would pair big with big; by time, slow.ts (small but slow) goes alone.
  const sizes = files({ 'slow.ts': 100, 'big1.ts': 5000, 'big2.ts': 5000, 'fast.ts': 200 });
  const past = new Map([
    ['slow.ts', 9000],
    ['big1.ts', 3000],
    ['big2.ts', 3000],
    ['fast.ts', 2000],
  ]);
  const split = splitShardFiles(sizes, 2, past);
  t.equal(split.by, 'duration');
  t.same(
    split.groups.map((g) => g.files),
    [['slow.ts'], ['big1.ts', 'big2.ts', 'fast.ts']],
  );
  t.same(loads(split), [9000, 8000]);
});

t.test('a file the last run did not have is weighed at the known files’ time per byte', async (t) => {
  const split = splitShardFiles(files({ 'old.ts': 1000, 'new.ts': 2000 }), 2, new Map([['old.ts', 500]]));
  t.same(loads(split).sort(), [1000, 500], 'new.ts: 2000 bytes × 0.5 ms/byte');
});

t.test('the split is deterministic: same input, same groups, whatever the listing order', async (t) => {
  const list = files({ 'x.ts': 10, 'y.ts': 10, 'z.ts': 10, 'w.ts': 10 });
  const a = splitShardFiles(list, 3);
  const b = splitShardFiles([...list].reverse(), 3);
  t.same(a, b);
  t.same(
    a.groups.map((g) => g.files),
    [['w.ts', 'z.ts'], ['x.ts'], ['y.ts']],
  );
});

t.test('fewer files than shards: one shard per file, never an empty shard', async (t) => {
  const split = splitShardFiles(files({ 'a.ts': 1, 'b.ts': 2 }), 4);
  t.equal(split.groups.length, 2);
  t.ok(split.groups.every((g) => g.files.length === 1));
  t.same(splitShardFiles([], 4).groups, [], 'no files: no shard (the runner makes that a phase error)');
});

t.test('a sharded phase starts no run-wide instance of its services; an unsharded user still gets one', async (t) => {
  const p = plan({
    services: [service('redis'), service('db'), service('api', { dependsOn: ['db'] })],
    phases: [phase('unit', { services: ['redis', 'api'], shard: { count: 4 } }), phase('smoke', { services: ['db'] })],
  });
  const graph = compilePlan(p);
  t.same(graph.instances, [{ service: 'db' }], 'redis and api are per shard only; db is also used by smoke');
  const run = graph.steps.find((s) => s.id === 'run-phase:unit')!;
  t.same(run, {
    id: 'run-phase:unit',
    kind: 'run-phase',
    phase: 'unit',
    shards: 4,
    needs: ['create-network', 'build-image:app'],
  });
  t.notOk(graph.steps.some((s) => s.id === 'start-service:redis'));
  t.same(shardServiceOrder(p, 'unit'), ['redis', 'db', 'api'], 'dependencies first');
});

t.test('the listing runs find from the glob base, prunes node_modules and .git, and keeps only matches', async (t) => {
  t.equal(
    listingScript('test/**/*.test.ts'),
    "find 'test' \\( -name 'node_modules' -o -name '.git' \\) -prune -o -type f -printf '%s %p\\n'",
  );
  t.match(listingScript('**/*.ts'), /^find '\.' /);
  const found = parseListing(
    ['12 test/b.test.ts', '40 test/a.test.ts', '7 test/helper.ts', '9 test/deep/c.test.ts', 'junk', '3 ./x.test.ts'],
    'test/**/*.test.ts',
  );
  t.same(found, [
    { path: 'test/a.test.ts', sizeBytes: 40 },
    { path: 'test/b.test.ts', sizeBytes: 12 },
    { path: 'test/deep/c.test.ts', sizeBytes: 9 },
  ]);
  t.same(parseListing(['3 ./x.test.ts', '4 ./sub/y.test.ts'], '**/*.test.ts'), [
    { path: 'sub/y.test.ts', sizeBytes: 4 },
    { path: 'x.test.ts', sizeBytes: 3 },
  ]);
});
