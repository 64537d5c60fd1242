/** `plan import compose`: mapping, comments and warnings, never overwriting; the plan type-checks untouched. */
import t from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkTypes, cli, copyFixture, withEnv, writeTree } from './helpers.js';

t.test(
  'the orders compose file: services, probes, runners as phases, gates, and every unmapped key reported',
  async (t) => {
    const repo = copyFixture('orders');
    const res = await cli(['import', 'compose', 'docker-compose.test.yml'], repo);
    t.equal(res.code, 0, res.stderr);
    const planFile = join(repo, 'plans/orders.plan.ts');
    const plan = readFileSync(planFile, 'utf8');
    t.match(res.stdout, /✔ wrote plans\/orders\.plan\.ts/);

    t.match(
      plan,
      /ready: \{ preset: 'postgres', user: 'orders', database: 'orders_test', timeout: '80s' \}/,
      'pg_isready → postgres preset; give-up point 5s + 15 × (2s + 3s)',
    );
    t.match(plan, /ready: \{ preset: 'redis', timeout: '30s' \}/);
    t.match(plan, /ready: \{ http: \{ port: 8080, path: '\/health' \}/, 'curl of a local URL → http probe');
    t.match(
      plan,
      /command: \['redis-server', '--bind', '0\.0\.0\.0', '--protected-mode', 'no', '--save', ''\]/,
      'a string command is split into words as compose does',
    );
    t.match(
      plan,
      /POSTGRES_PASSWORD: secret\('orders-pw'\)/,
      '${PG_PASSWORD:-orders-pw} took its default and is masked',
    );
    t.match(plan, /profiles: \['mocks'\]/);
    t.match(
      plan,
      /mounts: \[\{ source: '\.\.\/tests', target: '\/app\/tests', readOnly: true \}\]/,
      'a bind mount relative to the plan',
    );
    t.match(plan, /ORDERS_CACHE_TTL: '60'/, 'env_file read');
    t.match(
      plan,
      /run: 'mkdir -p \/out && python3 -m pytest --junitxml=\/out\/junit\.xml --cov-report=xml:\/out\/coverage\.xml -q tests --cov=orders --cov-fail-under=80'/,
    );
    t.match(plan, /coverage: \{ lines: 80 \}/, '--cov-fail-under → coverage gate');
    t.match(plan, /tests: \{ build: \{ context: '\.\.', target: 'test', args: \{ APP_ENV: 'test' \} \} \}/);
    t.match(plan, /requirement: 'TODO: the requirement the tests suite proves'/);

    t.match(
      plan,
      /mounts: \[\s*\{\s*source: '\.\.\/db\/init\.sql',\s*target: '\/docker-entrypoint-initdb\.d\/init\.sql',\s*readOnly: true,?\s*\},?\s*\]/,
      "a service's init script is a service mount",
    );
    for (const unmapped of [/x-owner/, /restart/, /top-level x-postgres-env/]) {
      t.match(
        plan,
        new RegExp(`// not mapped: .*${unmapped.source}|\\* not mapped: .*${unmapped.source}`),
        `${unmapped} is a comment in the plan`,
      );
      t.match(res.stdout, unmapped, `${unmapped} is printed`);
    }
    t.match(res.stdout, /Check these guesses/);

    const check = await checkTypes(planFile);
    t.equal(check.code, 0, `the generated plan type-checks untouched:\n${check.stderr}`);
  },
);

t.test('never overwrites without --force; --out chooses the file', async (t) => {
  const repo = copyFixture('orders');
  t.equal((await cli(['import', 'compose', 'docker-compose.test.yml'], repo)).code, 0);
  writeFileSync(join(repo, 'plans/orders.plan.ts'), '// edited by hand\n');
  const again = await cli(['import', 'compose', 'docker-compose.test.yml'], repo);
  t.equal(again.code, 2);
  t.match(again.stderr, /plans\/orders\.plan\.ts already exists: nothing was written\. Pass --force to overwrite/);
  t.equal(readFileSync(join(repo, 'plans/orders.plan.ts'), 'utf8'), '// edited by hand\n');
  t.equal((await cli(['import', 'compose', 'docker-compose.test.yml', '--force'], repo)).code, 0);
  t.match(readFileSync(join(repo, 'plans/orders.plan.ts'), 'utf8'), /defineTestPlan/);
  const out = await cli(['import', 'compose', 'docker-compose.test.yml', '--out', 'ci/orders.plan.ts'], repo);
  t.equal(out.code, 0, out.stderr);
  t.match(readFileSync(join(repo, 'ci/orders.plan.ts'), 'utf8'), /context: '\.\.'/);
});

t.test('interpolation and healthcheck forms: NONE, CMD list, bare variables, unset variables reported', async (t) => {
  const repo = writeTree({
    'compose.yaml': [
      'services:',
      '  db:',
      '    image: mydb',
      '    environment: [API_TOKEN, "MODE=$${literal}", "URL=http://${HOST}:1", "DB_PASSWORD=${DB_PASSWORD}"]',
      '    healthcheck: { test: ["NONE"] }',
      '  web:',
      '    image: web:1',
      '    ports: ["127.0.0.1:8080:80", {target: 81, published: 9000}]',
      '    entrypoint: ["/init"]',
      '    healthcheck: { test: ["CMD", "/bin/check", "--deep"], interval: 1m30s, retries: 2 }',
      '  it:',
      '    image: runner:1',
      '    depends_on: [db, web]',
      '    command: ["npm", "test"]',
      '    working_dir: /src',
    ].join('\n'),
  });
  const res = await cli(['import', 'compose', 'compose.yaml', '--name', 'forms'], repo);
  t.equal(res.code, 0, res.stderr);
  const plan = readFileSync(join(repo, 'plans/forms.plan.ts'), 'utf8');
  t.match(plan, /image: 'mydb:latest'/, 'an untagged image gets :latest (and a guess)');
  t.match(plan, /API_TOKEN: secretFromEnv\('API_TOKEN'\)/);
  t.match(plan, /MODE: '\$\{literal\}'/, '$$ is a literal dollar');
  t.match(
    plan,
    /DB_PASSWORD: secretFromEnv\('DB_PASSWORD'\)/,
    'a whole value ${VAR} that no .env sets comes from the environment, not empty',
  );
  t.match(plan, /URL: 'http:\/\/:1'/);
  t.match(res.stdout, /\$\{HOST\} is not set in \.env/);
  t.match(res.stdout, /healthcheck disabled \(NONE\)/);
  t.match(
    plan,
    /ready: \{ exec: \['\/bin\/check', '--deep'\], timeout: '3m60s'|ready: \{ exec: \['\/bin\/check', '--deep'\], timeout: '/,
  );
  t.match(plan, /ports: \[80, 81\]/);
  t.match(res.stdout, /entrypoint \["\/init"\]/);
  t.match(plan, /workdir: '\/src'/);
  t.match(plan, /services: \['db', 'web'\]/);
  const check = await withEnv({ API_TOKEN: 'x', DB_PASSWORD: 'y' }, () =>
    checkTypes(join(repo, 'plans/forms.plan.ts')),
  );
  t.equal(check.code, 0, check.stderr);
});

t.test('a one-shot the runner waits to complete (migrations) is a phase it needs', async (t) => {
  const repo = writeTree({
    'compose.yml': [
      'services:',
      '  db: { image: "pg:15", healthcheck: { test: "pg_isready" } }',
      '  migrate: { image: "app:1", command: "alembic upgrade head", depends_on: { db: { condition: service_healthy } } }',
      '  tests:',
      '    image: app:1',
      '    command: pytest',
      '    depends_on: { db: { condition: service_healthy }, migrate: { condition: service_completed_successfully } }',
    ].join('\n'),
  });
  const res = await cli(['import', 'compose', 'compose.yml', '--name', 'migrations'], repo);
  t.equal(res.code, 0, res.stderr);
  const plan = readFileSync(join(repo, 'plans/migrations.plan.ts'), 'utf8');
  t.match(plan, /migrate: \{ image: 'app:1', run: 'alembic upgrade head', services: \['db'\] \}/);
  t.match(plan, /services: \['db'\],\s+needs: \['migrate'\],/);
  t.equal((await checkTypes(join(repo, 'plans/migrations.plan.ts'))).code, 0);
});

t.test('bad inputs: exit 2 naming the file and what to do', async (t) => {
  const repo = writeTree({
    'a.yml': 'services:\n  db: { image: "pg:1", ports: ["5432"] }\n',
    'b.yml': 'not: compose\n',
    'c.yml': '{ bad',
  });
  const noRunner = await cli(['import', 'compose', 'a.yml'], repo);
  t.equal(noRunner.code, 2);
  t.match(noRunner.stderr, /a\.yml: no one-shot test runner found/);
  t.match((await cli(['import', 'compose', 'b.yml'], repo)).stderr, /no 'services:' map/);
  t.match((await cli(['import', 'compose', 'c.yml'], repo)).stderr, /not a readable YAML file/);
  t.match((await cli(['import', 'compose', 'missing.yml'], repo)).stderr, /missing\.yml does not exist/);
  t.equal((await cli(['import', 'podman', 'a.yml'], repo)).code, 2);
});
