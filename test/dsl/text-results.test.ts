/** `results: { text }` in the DSL: validation messages and the normalised form. */
import t from 'tap';
import { validatePlan } from '../../src/dsl/validate/index.js';
import { PlanInvalidError, formatProblem } from '../../src/errors.js';

const source = { file: 'plans/app.plan.yaml', dir: '/repo/plans' };
const withText = (text: unknown) => ({
  name: 'text',
  phases: { unit: { image: 'node:20', run: 'npm test', results: { text } } },
});

function problems(input: unknown): string[] {
  try {
    validatePlan(input, source, {});
  } catch (error) {
    if (error instanceof PlanInvalidError) return error.problems.map(formatProblem);
    throw error;
  }
  return [];
}

t.test('a preset or pass + fail patterns normalise to the plan; source output is the default', async (t) => {
  t.same(validatePlan(withText({ preset: 'pytest' }), source, {}).phases['unit']!.results, {
    format: 'text',
    text: { preset: 'pytest' },
  });
  t.same(
    validatePlan(
      withText({ pass: '^ok (.+)', fail: '^FAIL (.+)', file: '^== (.+)', source: '/out/test.txt' }),
      source,
      {},
    ).phases['unit']!.results,
    {
      format: 'text',
      text: { pass: '^ok (.+)', fail: '^FAIL (.+)', file: '^== (.+)' },
      path: '/out/test.txt',
    },
  );
  t.same(validatePlan(withText({ preset: 'go', source: 'output' }), source, {}).phases['unit']!.results, {
    format: 'text',
    text: { preset: 'go' },
  });
});

t.test('what is wrong in results.text is said with its path and the fix', async (t) => {
  t.same(problems(withText({})), [
    "plans/app.plan.yaml: phases.unit.results.text: say which lines are tests: { preset: 'mocha' | 'pytest' | 'go' | 'cargo' | 'per-file' } or { pass: '^ok (.+)', fail: '^FAIL (.+)' }",
  ]);
  t.same(problems(withText({ preset: 'mocha', pass: 'x' })), [
    "plans/app.plan.yaml: phases.unit.results.text.pass: give either 'preset' or your own patterns, not both: remove 'pass' or 'preset'",
  ]);
  t.match(problems(withText({ pass: '(', fail: 'x' })), [/phases\.unit\.results\.text\.pass: .*fix the pattern/]);
  t.match(problems(withText({ preset: 'junit' })), [
    /phases\.unit\.results\.text\.preset: .*'mocha', 'pytest', 'go', 'cargo' or 'per-file'/,
  ]);
  t.same(problems(withText({ preset: 'cargo', source: 'out.txt' })), [
    "plans/app.plan.yaml: phases.unit.results.text.source: 'out.txt' is neither 'output' nor an absolute container path: write 'output' or e.g. '/out/test-output.txt'",
  ]);
});
