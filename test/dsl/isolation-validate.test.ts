/** Validation of scope, exclusive, after and concurrency: every problem names the file and the plan path. */
import t from 'tap';
import { validatePlan } from '../../src/dsl/validate/index.js';
import { PlanInvalidError, formatProblem } from '../../src/errors.js';

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

t.test('a valid plan normalises scope, exclusive, after and concurrency', async (t) => {
  const plan = validatePlan(
    {
      name: 'x',
      concurrency: 3,
      services: {
        db: { image: 'postgres:15', scope: 'phase' },
        redis: { image: 'redis:7', exclusive: true },
        mq: { image: 'mq:1', scope: 'run' },
        cache: { image: 'redis:7' },
      },
      phases: { a: { ...unit, services: ['db', 'redis'] }, b: { ...unit, after: ['a'] } },
    },
    source,
    {},
  );
  t.equal(plan.concurrency, 3);
  t.match(plan.services.db, { scope: 'phase', scopeWritten: true, exclusive: false });
  t.match(plan.services.redis, { scope: 'run', scopeWritten: false, exclusive: true });
  t.match(plan.services.mq, { scope: 'run', scopeWritten: true });
  t.match(plan.services.cache, { scope: 'run', scopeWritten: false, exclusive: false });
  t.same(plan.phases.b!.after, ['a']);
});

t.test('after names phases: unknown names get a did-you-mean', async (t) => {
  t.same(problems({ name: 'x', phases: { build: unit, e2e: { ...unit, after: ['biuld'] } } }), [
    "plans/app.plan.yaml: phases.e2e.after[0]: unknown phase 'biuld': did you mean 'build'?",
  ]);
});

t.test('cycles through needs and after together are errors', async (t) => {
  t.same(problems({ name: 'x', phases: { a: { ...unit, needs: ['b'] }, b: { ...unit, after: ['a'] } } }), [
    'plans/app.plan.yaml: phases.a.needs: ordering cycle through needs and after: a → b → a: remove one of these needs or after entries',
  ]);
  t.same(problems({ name: 'x', phases: { a: { ...unit, after: ['a'] } } }), [
    'plans/app.plan.yaml: phases.a.after: ordering cycle through needs and after: a → a: remove one of these needs or after entries',
  ]);
  t.same(
    problems({ name: 'x', phases: { a: { ...unit, needs: ['b'] }, b: { ...unit, needs: ['a'] } } }),
    ['plans/app.plan.yaml: phases.a.needs: dependency cycle: a → b → a: remove one of these needs'],
    'a needs-only cycle keeps its message',
  );
});

t.test('a run-scoped service cannot depend on a phase-scoped one', async (t) => {
  t.same(
    problems({
      name: 'x',
      services: { db: { image: 'postgres:15', scope: 'phase' }, api: { image: 'api:1', dependsOn: ['db'] } },
      phases: { a: { ...unit, services: ['api'] } },
    }),
    [
      "plans/app.plan.yaml: services.api.dependsOn[0]: service 'api' is shared by the run (scope 'run') but depends on 'db', which has an instance per phase (scope 'phase'): there is no single 'db' for it to use. Give 'api' scope 'phase' too, or 'db' scope 'run'",
    ],
  );
  t.same(
    problems({
      name: 'x',
      services: { db: { image: 'postgres:15' }, api: { image: 'api:1', scope: 'phase', dependsOn: ['db'] } },
      phases: { a: { ...unit, services: ['api'] } },
    }),
    [],
    'the other way round is fine: each instance uses the shared one',
  );
});

t.test('exclusive with scope phase, scope phase with localhost phases, bad values', async (t) => {
  t.same(
    problems({
      name: 'x',
      services: { db: { image: 'postgres:15', scope: 'phase', exclusive: true } },
      phases: { a: { ...unit, services: ['db'] } },
    }),
    [
      "plans/app.plan.yaml: services.db.exclusive: exclusive applies to a shared (scope 'run') service; with scope 'phase' every phase has its own instance already: remove exclusive or the scope",
    ],
  );
  t.match(
    problems({
      name: 'x',
      services: { db: { image: 'postgres:15', scope: 'phase' } },
      phases: { a: { ...unit, services: ['db'], localhost: true } },
    }),
    [
      /services\.db\.scope: scope 'phase' cannot be used in a plan whose phases reach services on localhost \(phases\.a\.localhost\)/,
    ],
  );
  t.same(
    problems({
      name: 'x',
      concurrency: 0,
      services: { db: { image: 'postgres:15', scope: 'phsae', exclusive: 'yes' } },
      phases: { a: unit },
    }),
    [
      'plans/app.plan.yaml: concurrency: must be a whole number of 1 or more, not 0',
      "plans/app.plan.yaml: services.db.scope: must be 'run' or 'phase', not 'phsae': did you mean 'phase'?",
      "plans/app.plan.yaml: services.db.exclusive: must be true or false, not 'yes'",
    ],
  );
});
