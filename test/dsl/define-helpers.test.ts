import t from 'tap';
import { plan } from './define-helpers.assert.js';
import { validatePlan } from '../../src/dsl/validate/index.js';

t.test(
  'a plan assembled from definePhase/defineService helpers type-checks (define-helpers.assert.ts) and validates',
  async (t) => {
    const valid = validatePlan(plan, { file: '/p/helpers.plan.ts', dir: '/p' }, {});
    t.same(Object.keys(valid.phases), ['build', 'a', 'b']);
    t.same(valid.services['fixture']?.image, { kind: 'ref', ref: 'testplan-fixture/redis:latest' });
  },
);
