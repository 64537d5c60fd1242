import t from 'tap';
import { join } from 'node:path';
import { discoverPlans } from '../../src/load/discover.js';

t.test('finds plans/*.plan.{ts,yaml,yml,js}, sorted, as absolute paths', async (t) => {
  const dir = t.testdir({
    plans: {
      'b.plan.yaml': '',
      'a.plan.ts': '',
      'c.plan.yml': '',
      'd.plan.js': '',
      'helper.ts': '',
      'notes.plan.md': '',
      'e.plan.json': '',
      nested: { 'f.plan.ts': '' },
    },
    'root.plan.ts': '',
  });
  t.strictSame(
    await discoverPlans(dir),
    ['a.plan.ts', 'b.plan.yaml', 'c.plan.yml', 'd.plan.js'].map((f) => join(dir, 'plans', f)),
  );
});

t.test('no plans folder (or a file named plans) means no plans, not an error', async (t) => {
  t.strictSame(await discoverPlans(t.testdir({})), []);
  t.strictSame(await discoverPlans(t.testdir({ plans: 'not a folder' })), []);
});
