/** Type tests (checked by tsc, `npm run typecheck`): `shard` takes a count or { count, files }, nothing else. */
import { defineTestPlan } from '../../src/index.js';

export const sharded = defineTestPlan({
  name: 'sharded',
  images: { app: { build: { context: '.' } } },
  phases: {
    native: { image: 'app', run: 'vitest --shard=${shard.index}/${shard.count}', shard: 4 },
    listed: { image: 'app', run: 'node --test $TESTPLAN_SHARD_FILES', shard: { count: 4, files: 'test/**/*.test.js' } },
    counted: { image: 'app', run: 'npm test', shard: { count: 2 } },
  },
});

export const wrongShapes = defineTestPlan({
  name: 'wrong',
  images: { app: { build: { context: '.' } } },
  phases: {
    // @ts-expect-error a glob alone is not a shard setting: give { count, files }
    glob: { image: 'app', run: 'npm test', shard: 'test/**/*.js' },
    // @ts-expect-error files without a count
    noCount: { image: 'app', run: 'npm test', shard: { files: 'test/*.js' } },
  },
});
