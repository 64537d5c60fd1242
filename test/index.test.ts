import t from 'tap';
import * as api from '../src/index.js';

t.test('the public API is exactly the DSL entry points', async (t) => {
  t.same(Object.keys(api).sort(), ['defineTestPlan', 'secret', 'secretFromEnv']);
});

t.test('defineTestPlan is the identity and secrets are plain serialisable values', async (t) => {
  const plan = { name: 'p', phases: { unit: { image: 'node:20', run: 'npm test' } } } as const;
  t.equal(api.defineTestPlan(plan), plan);
  t.same(api.secret('pw'), { secret: 'pw' });
  t.same(api.secretFromEnv('PGPASSWORD'), { secretFromEnv: 'PGPASSWORD' });
});
