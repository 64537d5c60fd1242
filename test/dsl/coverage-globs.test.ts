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

t.test('coverage gates take include/exclude glob lists, globally and per phase, and keep them', async (t) => {
  const coverage = {
    lines: 80,
    include: ['src/**'],
    exclude: ['**/*.test.ts'],
    phases: { unit: { lines: 90, include: ['src/core/**'] } },
  };
  const plan = validatePlan({ name: 'x', phases: { unit }, gates: { coverage } }, source, {});
  t.same(plan.gates.coverage, { lines: 80, include: ['src/**'], exclude: ['**/*.test.ts'] });
  t.same(plan.gates.phaseCoverage, { unit: { lines: 90, include: ['src/core/**'] } });
});

t.test('a glob that is not in a list is a problem naming the path', async (t) => {
  t.match(problems({ name: 'x', phases: { unit }, gates: { coverage: { lines: 80, include: 'src/**' } } }), [
    /gates\.coverage\.include: must be a list of globs/,
  ]);
});
