/**
 * `plan run` against a real PostgreSQL whose plan mounts its own pg_hba.conf and seed files and runs
 * `setup` commands inside it (a role, a database, seed data) before the phase that uses it.
 */
import t from 'tap';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  assertNothingLeft,
  E2E_FIXTURES,
  everyOutput,
  FIXTURE_IMAGES,
  readOut,
  readResults,
  requireEngine,
  runCli,
  tempDir,
  writePlan,
} from './e2e-helpers.js';

const APP_PASSWORD = 'app-user-pw-7d1f9c2e';
const SETUP_FIXTURES = join(E2E_FIXTURES, 'postgres-setup');

/** The plan; `seed` is the SQL file the last setup command loads (`broken.sql` makes it fail). */
function setupPlan(name: string, seed: 'seed.sql' | 'broken.sql'): Record<string, unknown> {
  return {
    name,
    images: FIXTURE_IMAGES,
    services: {
      postgres: {
        image: 'postgres',
        env: {
          POSTGRES_USER: 'e2e',
          POSTGRES_PASSWORD: { secret: 'e2e-owner-pw-41b7' },
          POSTGRES_DB: 'e2e',
          APP_PASSWORD: { secret: APP_PASSWORD },
        },
        ready: { preset: 'postgres', user: 'e2e', database: 'e2e' },
        // Relative to the plan file, as a phase's mounts are.
        mounts: [
          { source: 'postgres-setup/pg_hba.conf', target: '/etc/postgresql/15/main/pg_hba.conf', readOnly: true },
          { source: 'postgres-setup', target: '/seed', readOnly: true },
        ],
        setup: [
          // The service's env (a secret among it) is the commands' env.
          'psql -v ON_ERROR_STOP=1 -qAt -U "$POSTGRES_USER" -d "$POSTGRES_DB" -c "CREATE ROLE app_user LOGIN PASSWORD \'$APP_PASSWORD\'"',
          ['createdb', '-U', 'e2e', '-O', 'app_user', 'appdb'],
          `echo "loading ${seed} as app_user (password $APP_PASSWORD) on \${postgres.host}"; psql -v ON_ERROR_STOP=1 -q -U app_user -d appdb -f /seed/${seed}`,
        ],
      },
    },
    phases: {
      app: {
        image: 'client',
        services: ['postgres'],
        mounts: [{ source: E2E_FIXTURES, target: '/e2e', readOnly: true }],
        env: {
          PGHOST: '${postgres.host}',
          PGPORT: '${postgres.port}',
          PGUSER: 'app_user',
          PGPASSWORD: { secret: APP_PASSWORD },
          PGDATABASE: 'appdb',
        },
        run:
          'sh /e2e/junit.sh /out/app.xml app ' +
          '\'app_user reads the seeded items\' \'[ "$(psql -qAt -c "select count(*) from items")" = 3 ]\' ' +
          '\'the mounted pg_hba.conf keeps app_user out of other databases\' \'psql -d e2e -qAt -c "select 1" 2>&1 | grep -q "no pg_hba.conf entry"\'',
        results: { junit: '/out/app.xml' },
      },
    },
    gates: { tests: { failed: 0, minExecuted: 2 } },
  };
}

function planWithFixtures(plan: Record<string, unknown>): string {
  const dir = tempDir('setup-plan');
  cpSync(SETUP_FIXTURES, join(dir, 'postgres-setup'), { recursive: true });
  return writePlan(plan, dir);
}

t.test('a PostgreSQL with a mounted pg_hba.conf and setup commands (role, database, seed): exit 0', async (t) => {
  if (!requireEngine(t)) return;
  const out = tempDir('setup-out');
  const res = await runCli([
    'run',
    planWithFixtures(setupPlan('e2e-service-setup', 'seed.sql')),
    '--out',
    out,
    '--reporter',
    'plain',
  ]);
  t.equal(res.code, 0, `exit 0\n${res.stdout}\n${res.stderr}`);
  const results = readResults(out);
  t.equal(results.verdict, 'passed');
  t.same(results.tests, { total: 2, passed: 2, failed: 0, errored: 0, skipped: 0 });
  const postgres = results.services.find((s) => s.name === 'postgres')!;
  t.equal(postgres.status, 'ready');
  t.match(postgres.setup, { commands: 3, ran: 3, passed: true });
  const steps = results.steps.map((s) => s.id);
  t.ok(steps.indexOf('wait-ready:postgres') < steps.indexOf('setup-service:postgres'), 'setup after readiness');
  const setup = results.steps.find((s) => s.id === 'setup-service:postgres')!;
  const phase = results.steps.find((s) => s.id === 'run-phase:app')!;
  t.ok(Date.parse(setup.finishedAt!) <= Date.parse(phase.startedAt!), 'the phase starts after the setup finished');
  t.match(res.stderr, /^✔ setup-service:postgres passed .* — 3 setup command\(s\) in \d+ ms$/m);
  t.match(
    readOut(out, 'report.md'),
    /^\| postgres \| postgres \| [^|]+ \| \d+ \| 3 commands in [^|]+ \| ✅ ready \|$/m,
  );
  t.match(
    readOut(out, 'run.log'),
    /loading seed\.sql as app_user \(password \*\*\*\) on postgres/,
    'setup output is logged, masked, templates resolved',
  );
  for (const [where, text] of Object.entries(everyOutput(out, res, join(out, 'report.md'))))
    t.notMatch(text, APP_PASSWORD, `the secret never appears in ${where}`);
  await assertNothingLeft(t, results);
});

t.test(
  'the same plan made worse (the seed fails): exit 3, the phase skipped with the reason, the exit code and output tail, no secret',
  async (t) => {
    if (!requireEngine(t)) return;
    const out = tempDir('setup-worse-out');
    const res = await runCli([
      'run',
      planWithFixtures(setupPlan('e2e-service-setup-worse', 'broken.sql')),
      '--out',
      out,
      '--reporter',
      'plain',
    ]);
    t.equal(res.code, 3, `exit 3\n${res.stdout}\n${res.stderr}`);
    const results = readResults(out);
    t.equal(results.verdict, 'error');
    const postgres = results.services.find((s) => s.name === 'postgres')!;
    t.equal(postgres.status, 'not-ready');
    t.match(postgres.setup, { commands: 3, ran: 3, passed: false });
    const why =
      /service postgres: setup command 3 of 3 \(echo "loading broken\.sql .*\) exited with code 3, so the service is not ready\. Its last output:\n(?: {2}\| .*\n)*? {2}\| .*relation "missing_table" does not exist/;
    t.match(postgres.message, why);
    t.match(postgres.message, /\| loading broken\.sql as app_user \(password \*\*\*\) on postgres/);
    t.match(results.message, /setup command 3 of 3/);
    t.match(
      results.phases.find((p) => p.name === 'app'),
      { status: 'skipped' },
    );
    t.match(
      results.steps.find((s) => s.id === 'run-phase:app'),
      { status: 'skipped', message: 'setup-service:postgres failed' },
    );
    t.match(res.stderr, /setup-service:postgres failed .*exited with code 3/);
    const report = readOut(out, 'report.md');
    t.match(report, /command 3 of 3 failed after/);
    t.match(report, /relation "missing_table" does not exist/);
    for (const [where, text] of Object.entries(everyOutput(out, res, join(out, 'report.md'))))
      t.notMatch(text, APP_PASSWORD, `the secret never appears in ${where}`);
    t.notMatch(readFileSync(join(out, 'results.json'), 'utf8'), 'e2e-owner-pw-41b7');
    await assertNothingLeft(t, results);
  },
);
