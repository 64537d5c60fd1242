/** `plan import github-actions`: services with health options, test steps as phases, secrets, coverage checks as gates. */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkTypes, cli, copyFixture, withEnv, writeTree } from './helpers.js';
import { scriptThreshold } from '../../src/adopt/github-actions/import-workflow.js';
import { parseServiceOptions } from '../../src/adopt/github-actions/service-options.js';

t.test(
  'the orders workflow: the test job (not lint) with its services, container image, secrets and coverage step',
  async (t) => {
    const repo = copyFixture('orders');
    const res = await cli(['import', 'github-actions', '.github/workflows/ci.yml'], repo);
    t.equal(res.code, 0, res.stderr);
    const file = join(repo, 'plans/ci-test.plan.ts');
    const plan = readFileSync(file, 'utf8');
    t.match(plan, /POSTGRES_PASSWORD: secretFromEnv\('PG_PASSWORD'\)/);
    t.match(plan, /PGPASSWORD: secretFromEnv\('PG_PASSWORD'\)/);
    t.match(plan, /ready: \{ preset: 'postgres', user: 'orders', database: 'orders_test', timeout: '75s' \}/);
    t.match(plan, /ready: \{ preset: 'redis', timeout: '310s' \}/);
    t.match(plan, /image: 'testplan-adopt\/orders-test:latest'/, "the job's container image runs the phase");
    t.match(plan, /'bash',\s+'-eo',\s+'pipefail',\s+'-c',/, 'a piped step keeps failing when pytest fails');
    t.match(
      plan,
      /mounts: \[\{ source: '\.\.', target: '\/workspace' \}\],\s+workdir: '\/workspace'/,
      'checkout → the repository mounted',
    );
    t.match(plan, /APP_ENV: 'test'/, 'container env');
    t.match(plan, /PYTHONUNBUFFERED: '1'/, 'workflow env');
    t.match(plan, /timeout: '15m'/, 'timeout-minutes');
    t.match(plan, /coverage: \{ lines: 80 \}/, 'the awk step that checks the percentage is the coverage gate');
    t.notMatch(plan, /'show-versions'/, 'a `pytest --version` step is no test phase');
    t.match(res.stdout, /step 'Show versions'.*not mapped/);
    t.match(res.stdout, /actions\/upload-artifact@v4/);
    t.match(plan, /not mapped: step 'actions\/upload-artifact@v4'/);
    const check = await withEnv({ PG_PASSWORD: 'x' }, () => checkTypes(file));
    t.equal(check.code, 0, check.stderr);

    const lint = await cli(['import', 'github-actions', '.github/workflows/ci.yml', '--job', 'lint'], repo);
    t.equal(lint.code, 2, 'the lint job runs no tests');
    t.match(lint.stderr, /job lint has no run: step that runs tests/);
    t.match(
      (await cli(['import', 'github-actions', '.github/workflows/ci.yml', '--job', 'nope'], repo)).stderr,
      /no job 'nope'\. Jobs: lint, test/,
    );
  },
);

t.test('a job on the runner: localhost services, an image guessed from setup-python, an embedded secret', async (t) => {
  const repo = writeTree({
    '.github/workflows/test.yml': [
      'jobs:',
      '  unit:',
      '    runs-on: ubuntu-latest',
      '    services:',
      '      redis:',
      '        image: redis:7',
      '        ports: ["6379:6379"]',
      '        options: --health-cmd "redis-cli ping" --health-interval=5s --tmpfs /data',
      '    env:',
      '      URL: redis://:${{ secrets.REDIS_PW }}@localhost:6379',
      '    steps:',
      '      - uses: actions/checkout@v4',
      '      - uses: actions/setup-python@v5',
      '        with: { python-version: "3.12" }',
      '      - run: pip install -r requirements.txt',
      '      - run: pytest --cov=app --cov-fail-under=91',
      '        working-directory: svc',
    ].join('\n'),
  });
  const res = await cli(['import', 'github-actions', '.github/workflows/test.yml'], repo);
  t.equal(res.code, 0, res.stderr);
  const file = join(repo, 'plans/test-unit.plan.ts');
  const plan = readFileSync(file, 'utf8');
  t.match(plan, /image: 'python:3\.12-slim'/);
  t.match(plan, /localhost: true/);
  t.match(
    plan,
    /URL: secretFromEnv\('URL'\)/,
    'a secret inside a longer value: the whole variable comes from the environment',
  );
  t.match(res.stdout, /option --tmpfs \/data: no equivalent/);
  t.match(res.stdout, /pip install -r requirements\.txt.*not mapped/);
  t.match(plan, /workdir: '\/workspace\/svc'/);
  t.match(plan, /coverage: \{ lines: 91 \}/);
  const check = await withEnv({ URL: 'x' }, () => checkTypes(file));
  t.equal(check.code, 0, check.stderr);
});

t.test('health options and threshold checks in scripts', async (t) => {
  t.same(
    parseServiceOptions(
      '--health-cmd "pg_isready -U x" --health-interval 10s --health-timeout=5s --health-retries 5 --name db',
    ),
    {
      healthcheck: { test: ['CMD-SHELL', 'pg_isready -U x'], interval: '10s', timeout: '5s', retries: 5 },
      other: ['--name db'],
    },
  );
  t.same(scriptThreshold(`pct=$(coverage report | awk '/TOTAL/ {print $NF+0}')\n[ "$pct" -ge 75 ] || exit 1`), {
    lines: 75,
  });
  t.same(
    scriptThreshold("grep -q 'OK' out.txt && test $(wc -l < x) -lt 10"),
    undefined,
    'a comparison that is not about coverage',
  );
});
