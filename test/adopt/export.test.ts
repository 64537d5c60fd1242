/** `plan export compose|github-actions`: equivalent files, secrets as variables never values, stdout or --out. */
import t from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { cli, copyFixture, withEnv } from './helpers.js';

interface ComposeService {
  image?: string;
  build?: { context: string; target?: string; args?: Record<string, string> };
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[]; interval: string; retries: number };
  depends_on?: Record<string, { condition: string }>;
  profiles?: string[];
  volumes?: string[];
  restart?: string;
}

async function importedOrders(): Promise<string> {
  const repo = copyFixture('orders');
  t.equal((await cli(['import', 'compose', 'docker-compose.test.yml'], repo)).code, 0);
  return repo;
}

t.test(
  'export compose: health checks, service_healthy, profiles, one-shot phases with /out bound; no secret value',
  async (t) => {
    const repo = await importedOrders();
    const res = await cli(['export', 'compose', 'plans/orders.plan.ts'], repo);
    t.equal(res.code, 0, res.stderr);
    const doc = parse(res.stdout) as { services: Record<string, ComposeService> };
    const s = doc.services;
    t.same(Object.keys(s).sort(), ['contract-tests', 'payments-mock', 'postgres', 'redis', 'tests']);
    t.same(s.postgres!.healthcheck!.test.slice(0, 2), ['CMD', 'pg_isready']);
    t.same(s.redis!.healthcheck!.test, ['CMD-SHELL', 'redis-cli -p 6379 ping | grep -q PONG']);
    t.match(s['payments-mock']!.healthcheck!.test[1], /curl -fsS http:\/\/127\.0\.0\.1:8080\/health/);
    t.same(s.tests!.depends_on, {
      postgres: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
    });
    t.same(s['contract-tests']!.profiles, ['mocks']);
    t.same(s['payments-mock']!.profiles, ['mocks']);
    t.equal(s.tests!.restart, 'no');
    t.same(
      s.tests!.volumes,
      ['./tests:/app/tests:ro', './.testplan/compose/tests:/out'],
      'paths relative to the compose file; results on the host',
    );
    t.same(s.tests!.build, { context: '.', target: 'test', args: { APP_ENV: 'test' } });
    t.equal(s.tests!.command![0], 'sh');
    t.equal(s.postgres!.environment!.POSTGRES_PASSWORD, '${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}');
    t.notMatch(res.stdout.replace(/DATABASE_URL.*/g, ''), /orders-pw/, 'the secret value is not printed');
    t.match(res.stderr, /POSTGRES_PASSWORD is a secret\('…'\)/);
  },
);

t.test('export compose escapes $ as compose reads it; --out writes a file and refuses to overwrite', async (t) => {
  const repo = copyFixture('node-app');
  writeFileSync(
    join(repo, 'x.plan.ts'),
    `import { defineTestPlan, secretFromEnv } from 'testplan';
export default defineTestPlan({
  name: 'dollars',
  services: { cache: { image: 'redis:7', ports: [6379], ready: { log: 'Ready' } } },
  phases: { t: { image: 'node:20', services: ['cache'], env: { URL: 'redis://\${cache.host}:\${cache.port}', TOKEN: secretFromEnv('NPM_TOKEN') }, run: 'npm test; status=$?; exit $status' } },
});
`,
  );
  const out = join(repo, 'compose.exported.yml');
  const res = await cli(['export', 'compose', 'x.plan.ts', '--out', out], repo);
  t.equal(res.code, 0, res.stderr);
  const doc = parse(readFileSync(out, 'utf8')) as { services: Record<string, ComposeService> };
  t.equal(doc.services.t!.command![2], 'npm test; status=$$?; exit $$status');
  t.equal(
    doc.services.t!.environment!.URL,
    'redis://cache:6379',
    'templates resolved to the compose service name and port',
  );
  t.equal(
    doc.services.t!.environment!.TOKEN,
    '${NPM_TOKEN:?set NPM_TOKEN}',
    'secretFromEnv → the same variable, loaded without it being set',
  );
  t.same(
    doc.services.t!.depends_on,
    { cache: { condition: 'service_started' } },
    'a log probe has no compose equivalent: started, with a note',
  );
  t.match(readFileSync(out, 'utf8'), /not exported: services\.cache\.ready is a log probe/);
  const again = await cli(['export', 'compose', 'x.plan.ts', '--out', out], repo);
  t.equal(again.code, 2);
});

t.test(
  'export github-actions: plan run is the gate step, the report is uploaded always, secrets come from repository secrets',
  async (t) => {
    const repo = copyFixture('orders');
    t.equal((await cli(['import', 'github-actions', '.github/workflows/ci.yml'], repo)).code, 0);
    const res = await withEnv({}, () => cli(['export', 'github-actions', 'plans/ci-test.plan.ts'], repo));
    t.equal(res.code, 0, res.stderr);
    const wf = parse(res.stdout) as {
      jobs: {
        plan: {
          steps: {
            uses?: string;
            run?: string;
            env?: Record<string, string>;
            if?: string;
            with?: Record<string, string>;
          }[];
        };
      };
    };
    const steps = wf.jobs.plan.steps;
    t.ok(steps.some((s) => s.uses === 'actions/setup-node@v4'));
    const gate = steps.find((s) => s.run?.startsWith('npx plan run'));
    t.equal(gate?.run, 'npx plan run plans/ci-test.plan.ts --out .testplan/report');
    t.same(
      gate?.env,
      { PG_PASSWORD: '${{ secrets.PG_PASSWORD }}' },
      'secretFromEnv → a repository secret, without PG_PASSWORD set here',
    );
    const upload = steps.find((s) => s.uses === 'actions/upload-artifact@v4');
    t.equal(upload?.if, 'always()');
    t.equal(upload?.with?.path, '.testplan/report');
    t.match(res.stdout, /step\n# summary, failures as ::error annotations/);
    t.match((await cli(['export', 'gitlab'], repo)).stderr, /expected `plan export compose/);
  },
);

t.test('import → export → import keeps the services, probes, profiles and phases', async (t) => {
  const repo = await importedOrders();
  t.equal(
    (await cli(['export', 'compose', 'plans/orders.plan.ts', '--out', 'exported/compose.yml'], repo, {})).code,
    0,
  );
  const res = await withEnv({ POSTGRES_PASSWORD: 'x' }, () =>
    cli(['import', 'compose', 'exported/compose.yml', '--out', 'plans/again.plan.ts'], repo),
  );
  t.equal(res.code, 0, res.stderr);
  const again = readFileSync(join(repo, 'plans/again.plan.ts'), 'utf8');
  t.match(
    again,
    /ready: \{\s+preset: 'postgres',\s+user: 'orders',\s+database: 'orders_test',\s+port: 5432,\s+timeout: '92s',/,
    "the plan's 80s give-up time survives, plus compose's 3 × (1s + 3s) after start_period",
  );
  t.match(again, /ready: \{ preset: 'redis'/);
  t.match(again, /ready: \{ http: \{ port: 8080, path: '\/health' \}/);
  t.match(again, /'contract-tests': \{[^}]*image: /);
  t.match(again, /profiles: \['mocks'\]/);
  t.match(again, /services: \['postgres', 'redis'\]/);
});

t.test('export compose says what it cannot keep of scope, exclusive and after', async (t) => {
  const repo = copyFixture('node-app');
  writeFileSync(
    join(repo, 'iso.plan.ts'),
    `import { defineTestPlan } from 'testplan';
export default defineTestPlan({
  name: 'iso',
  services: { db: { image: 'postgres:15', scope: 'phase' }, cache: { image: 'redis:7', exclusive: true } },
  phases: {
    a: { image: 'node:20', services: ['db', 'cache'], run: 'true' },
    b: { image: 'node:20', services: ['cache'], after: ['a'], run: 'true' },
  },
});
`,
  );
  const res = await cli(['export', 'compose', 'iso.plan.ts'], repo);
  t.equal(res.code, 0, res.stderr);
  t.match(res.stdout, /not exported: services\.db\.scope 'phase': compose runs one instance/);
  t.match(res.stdout, /not exported: services\.cache\.exclusive: compose runs one instance/);
  t.match(res.stdout, /not exported: phases\.b\.after: compose cannot wait/);
});
