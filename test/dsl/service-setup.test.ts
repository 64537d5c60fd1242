import t from 'tap';
import { join } from 'node:path';
import { validatePlan } from '../../src/dsl/validate/index.js';
import { PlanInvalidError, formatProblem } from '../../src/errors.js';
import { loadPlanFile } from '../../src/load/load-plan.js';

const source = { file: 'plans/app.plan.yaml', dir: '/repo/plans' };
const unit = { image: 'node:20', run: 'npm test', services: ['pg'] };

function problems(input: unknown): string[] {
  try {
    validatePlan(input, source, {});
  } catch (error) {
    if (error instanceof PlanInvalidError) return error.problems.map(formatProblem);
    throw error;
  }
  return [];
}

t.test(
  'service mounts resolve as phase mounts do; setup commands become exec form; setup timeout defaults to 60s',
  async (t) => {
    const plan = validatePlan(
      {
        name: 'setup',
        services: {
          pg: {
            image: 'postgres:15',
            mounts: [
              { source: 'pg/pg_hba.conf', target: '/etc/pg/pg_hba.conf', readOnly: true },
              { source: '/srv/init', target: '/docker-entrypoint-initdb.d' },
            ],
            setup: ['createdb -h ${pg.host} app', ['psql', '-c', 'select 1']],
          },
          bare: { image: 'redis:7', setupTimeout: '90s' },
        },
        phases: { unit },
      },
      source,
      {},
    );
    const pg = plan.services['pg']!;
    t.strictSame(pg.mounts, [
      { source: '/repo/plans/pg/pg_hba.conf', target: '/etc/pg/pg_hba.conf', readOnly: true },
      { source: '/srv/init', target: '/docker-entrypoint-initdb.d', readOnly: false },
    ]);
    t.strictSame(pg.setup, [
      ['sh', '-c', 'createdb -h ${pg.host} app'],
      ['psql', '-c', 'select 1'],
    ]);
    t.equal(pg.setupTimeoutMs, 60_000);
    t.strictSame(plan.services['bare']!.setup, []);
    t.strictSame(plan.services['bare']!.mounts, []);
    t.equal(plan.services['bare']!.setupTimeoutMs, 90_000);
  },
);

t.test('bad service mounts and setup commands are plan problems with their paths', async (t) => {
  t.same(
    problems({
      name: 'bad',
      services: {
        pg: {
          image: 'postgres:15',
          mounts: [
            { source: '', target: 'etc/pg' },
            { source: 'a', target: '/a', ro: true },
          ],
          setup: ['', [], 'echo ${redis.host}', 'echo ${pg.port}', 42],
          setupTimeout: '0s',
        },
      },
      phases: { unit },
    }),
    [
      "plans/app.plan.yaml: services.pg.mounts[1].ro: unknown key 'ro': remove it; allowed here: source, target, readOnly",
      'plans/app.plan.yaml: services.pg.setup[4]: must be a command: a string (run with sh -c) or a list of strings, not 42',
      "plans/app.plan.yaml: services.pg.setup[2]: '${redis.host}': unknown service 'redis': use one of pg or define it under 'services' (for a literal '${redis.host}', write '$${redis.host}')",
      "plans/app.plan.yaml: services.pg.setup[3]: '${pg.port}' needs a port: declare ports (e.g. ports: [8080]) on service 'pg'",
      "plans/app.plan.yaml: services.pg.setup[0]: is an empty command: write what to run, e.g. 'createdb app'",
      "plans/app.plan.yaml: services.pg.setup[1]: is an empty command: write what to run, e.g. ['createdb', …]",
      "plans/app.plan.yaml: services.pg.mounts[0].target: 'etc/pg' is not an absolute container path: write it from the root, e.g. '/etc/pg'",
      'plans/app.plan.yaml: services.pg.mounts[0].source: is empty: write the host path to mount, relative to the plan file',
      "plans/app.plan.yaml: services.pg.setupTimeout: '0s' is zero: nothing can finish in no time; write a duration like '30s' or '5m'",
    ],
  );
});

t.test('setup may reach the services its service depends on, not others', async (t) => {
  const found = problems({
    name: 'reach',
    services: {
      pg: { image: 'postgres:15', ports: [5432] },
      app: { image: 'app:1', dependsOn: ['pg'], setup: ['migrate ${pg.host}:${pg.port} ${cache.host}'] },
      cache: { image: 'redis:7' },
    },
    phases: { unit },
  });
  t.same(found, [
    "plans/app.plan.yaml: services.app.setup[0]: '${cache.host}' needs service 'cache': add 'cache' to services.app.dependsOn",
  ]);
});

t.test('plan check: a service mount source that does not exist names the plan file and the path', async (t) => {
  const dir = t.testdir({
    'db.plan.yaml': [
      'name: db',
      'services:',
      '  pg:',
      '    image: postgres:15',
      '    mounts:',
      '      - { source: conf/pg_hba.conf, target: /etc/pg/pg_hba.conf }',
      'phases:',
      '  unit: { image: node:20, run: npm test, services: [pg] }',
      '',
    ].join('\n'),
  });
  const file = join(dir, 'db.plan.yaml');
  const error = await loadPlanFile(file, { env: {} }).then(
    () => undefined,
    (e: unknown) => e,
  );
  t.type(error, PlanInvalidError);
  t.same((error as PlanInvalidError).problems.map(formatProblem), [
    `${file}:6:11: services.pg.mounts[0].source: ${join(dir, 'conf/pg_hba.conf')} does not exist: create it, or fix the path (relative to the plan file)`,
  ]);
});
