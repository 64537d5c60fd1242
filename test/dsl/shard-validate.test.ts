import t from 'tap';
import { validatePlan } from '../../src/dsl/validate/index.js';
import { PlanInvalidError, formatProblem } from '../../src/errors.js';
import { renderTemplates } from '../../src/dsl/templates.js';

const source = { file: 'plans/app.plan.yaml', dir: '/repo/plans' };
const unit = { image: 'node:20', run: 'npm test' };

function problems(input: unknown): string[] {
  try {
    validatePlan(input, source, {});
  } catch (error) {
    if (error instanceof PlanInvalidError) return error.problems.map(formatProblem);
    throw error;
  }
  return [];
}

t.test('shard: N and shard: { count, files } normalise to one shape', async (t) => {
  const plan = validatePlan(
    {
      name: 'p',
      phases: {
        a: { ...unit, shard: 4 },
        b: { ...unit, shard: { count: 3, files: 'test/**/*.test.ts' } },
      },
    },
    source,
    {},
  );
  t.same(plan.phases['a']!.shard, { count: 4 });
  t.same(plan.phases['b']!.shard, { count: 3, files: 'test/**/*.test.ts' });
});

t.test('a shard count must be 2 to 64; a files glob must select a set of files', async (t) => {
  for (const shard of [1, 0, 65, 2.5, { count: 1 }]) {
    const [only, ...rest] = problems({ name: 'p', phases: { unit: { ...unit, shard } } });
    t.same(rest, [], JSON.stringify(shard));
    t.match(only, /phases\.unit\.shard(\.count)?: must be .*from 2 to 64/, JSON.stringify(shard));
  }
  const globs: [string, RegExp][] = [
    ['test/a.test.ts', /names one file, not a set to split/],
    ['!test/**', /negated glob/],
    ['../test/*.ts', /climbs out with '\.\.'/],
    ['test/[ab.ts', /unbalanced '\[\]'/],
    ['test/{a,b/*.ts', /unbalanced '\{\}'/],
  ];
  for (const [files, expected] of globs) {
    const found = problems({ name: 'p', phases: { unit: { ...unit, shard: { count: 2, files } } } });
    t.equal(found.length, 1, files);
    t.match(found[0], /phases\.unit\.shard\.files: /);
    t.match(found[0], expected, files);
  }
});

t.test(
  'sharding refuses what cannot be split: localhost, text results read from the output, a service named shard',
  async (t) => {
    const found = problems({
      name: 'p',
      services: { shard: { image: 'redis:7' } },
      phases: {
        unit: { ...unit, shard: 2, localhost: true, results: { text: { preset: 'mocha' } } },
      },
    });
    t.match(found.join('\n'), /services\.shard: 'shard' is reserved/);
    t.match(found.join('\n'), /phases\.unit\.localhost: a sharded phase cannot reach its services on localhost/);
    t.match(found.join('\n'), /phases\.unit\.results: a sharded phase's output is one output per shard/);
    t.same(
      problems({
        name: 'p',
        phases: { unit: { ...unit, shard: 2, results: { text: { preset: 'mocha', source: '/out/test.log' } } } },
      }),
      [],
      'text results read from a file per shard are fine',
    );
  },
);

t.test('${shard.index} and ${shard.count} are templates only in a sharded phase, with those two fields', async (t) => {
  t.same(
    problems({
      name: 'p',
      phases: { unit: { ...unit, run: 'vitest --shard=${shard.index}/${shard.count}', shard: 4 } },
    }),
    [],
  );
  const unsharded = problems({ name: 'p', phases: { unit: { ...unit, run: 'vitest --shard=${shard.index}' } } });
  t.match(unsharded[0], /phases\.unit\.run: '\$\{shard\.index\}' only has a value in a sharded phase/);
  const typo = problems({ name: 'p', phases: { unit: { ...unit, env: { N: '${shard.total}' }, shard: 2 } } });
  t.match(typo[0], /phases\.unit\.env\.N: '\$\{shard\.total\}' uses unknown field 'total'/);
  t.same(
    problems({ name: 'p', phases: { unit: { ...unit, run: 'echo $${shard.index}' } } }),
    [],
    'the escape stays literal',
  );
  t.equal(
    renderTemplates('--shard=${shard.index}/${shard.count} $${shard.index}', {
      service: () => undefined,
      shard: { index: 2, count: 4 },
    }),
    '--shard=2/4 ${shard.index}',
  );
});
