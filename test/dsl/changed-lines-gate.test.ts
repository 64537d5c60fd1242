import t from 'tap';
import { validatePlan } from '../../src/dsl/validate/index.js';
import { PlanInvalidError, formatProblem } from '../../src/errors.js';

const source = { file: 'plans/app.plan.yaml', dir: '/repo/plans' };
const unit = { image: 'node:20', run: 'npm test', coverage: { format: 'lcov', path: '/out/lcov.info' } };

function problems(input: unknown): string[] {
  try {
    validatePlan(input, source, {});
  } catch (error) {
    if (error instanceof PlanInvalidError) return error.problems.map(formatProblem);
    throw error;
  }
  return [];
}

t.test('gates.coverage.changed is its own gate spec, apart from the global thresholds', async (t) => {
  const changed = { lines: 90, base: 'origin/main', exclude: ['test/**'] };
  const plan = validatePlan({ name: 'x', phases: { unit }, gates: { coverage: { lines: 80, changed } } }, source, {});
  t.same(plan.gates.changedLines, changed);
  t.same(plan.gates.coverage, { lines: 80 });
  const alone = validatePlan({ name: 'x', phases: { unit }, gates: { coverage: { changed } } }, source, {});
  t.same(alone.gates.changedLines, changed);
});

t.test(
  'a changed gate without a base, above 100 %, with an option-like base or an unknown key is a problem',
  async (t) => {
    const plan = (changed: unknown) => ({ name: 'x', phases: { unit }, gates: { coverage: { changed } } });
    t.match(problems(plan({ lines: 90 })).join('\n'), /gates\.coverage\.changed/);
    t.match(problems(plan({ lines: 101, base: 'main' })).join('\n'), /gates\.coverage\.changed\.lines: .*percentage/);
    t.match(
      problems(plan({ lines: 90, base: '--output=/tmp/x' })).join('\n'),
      /gates\.coverage\.changed\.base: .*git ref/,
    );
    t.match(problems(plan({ lines: 90, base: 'main', branches: 80 })).join('\n'), /gates\.coverage\.changed/);
  },
);
