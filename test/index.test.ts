import t from 'tap';
import * as api from '../src/index.js';

t.test('the public API is exactly the DSL entry points', async (t) => {
  t.same(Object.keys(api).sort(), ['definePhase', 'defineService', 'defineTestPlan', 'secret', 'secretFromEnv']);
});

t.test('defineTestPlan is the identity and secrets are plain serialisable values', async (t) => {
  const plan = { name: 'p', phases: { unit: { image: 'node:20', run: 'npm test' } } } as const;
  t.equal(api.defineTestPlan(plan), plan);
  t.same(api.secret('pw'), { secret: 'pw' });
  t.same(api.secretFromEnv('PGPASSWORD'), { secretFromEnv: 'PGPASSWORD' });
});

t.test('definePhase and defineService are identities (their value is for the type checker)', async (t) => {
  const phase = { image: 'node:20', run: 'npm test' } as const;
  const service = { image: 'redis:7' } as const;
  t.equal(api.definePhase(phase), phase);
  t.equal(api.defineService(service), service);
});
