import t from 'tap';
import { parse } from 'yaml';
import { planToWorkflow } from '../../src/adopt/export/to-workflow.js';
import { validatePlan } from '../../src/dsl/validate/index.js';

const source = { file: '/repo/plans/app.plan.yaml', dir: '/repo/plans' };
const unit = { image: 'node:20', run: 'npm test', coverage: { format: 'lcov', path: '/out/lcov.info' } };
const checkout = (gates: unknown) => {
  const plan = validatePlan({ name: 'app', phases: { unit }, gates }, source, {});
  const workflow = parse(planToWorkflow(plan, '/repo').text);
  return workflow.jobs.plan.steps[0];
};

t.test('a plan with the changed-lines gate checks out the whole history (its base needs a merge-base)', async (t) => {
  t.same(checkout({ coverage: { changed: { lines: 90, base: 'origin/main' } } }), {
    uses: 'actions/checkout@v4',
    with: { 'fetch-depth': 0 },
  });
  t.same(checkout({ coverage: { lines: 80 } }), { uses: 'actions/checkout@v4' });
});
