/**
 * `plan run` against real Redis and PostgreSQL services: phases reach them by `${svc.host}` /
 * `${svc.port}`, and a phase with `localhost: true` reaches them on localhost.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  assertNothingLeft,
  E2E_FIXTURES,
  FIXTURE_IMAGES,
  frontMatter,
  readOut,
  readResults,
  requireEngine,
  runCli,
  tempDir,
  writePlan,
} from './e2e-helpers.js';

const PG_ENV = { POSTGRES_USER: 'e2e', POSTGRES_PASSWORD: 'e2e-pw', POSTGRES_DB: 'e2e' };
const mounts = [{ source: E2E_FIXTURES, target: '/e2e', readOnly: true }];

/** The plan; `localhostPhaseSharesNamespace: false` makes it worse (the localhost-only client finds nothing). */
function servicesPlan(name: string, localhostPhaseSharesNamespace: boolean): Record<string, unknown> {
  return {
    name,
    images: FIXTURE_IMAGES,
    services: {
      redis: { image: 'redis', ready: { preset: 'redis' } },
      postgres: { image: 'postgres', env: PG_ENV, ready: { preset: 'postgres', user: 'e2e', database: 'e2e' } },
    },
    phases: {
      'redis-by-name': {
        image: 'client',
        services: ['redis'],
        mounts,
        run:
          "sh /e2e/tap.sh /out/redis.tap 'redis answers PING' '[ \"$(redis-cli -h ${redis.host} -p ${redis.port} ping)\" = PONG ]' " +
          "'redis stores a key' 'redis-cli -h ${redis.host} -p ${redis.port} set k v >/dev/null && [ \"$(redis-cli -h ${redis.host} -p ${redis.port} get k)\" = v ]'",
        results: { tap: '/out/redis.tap' },
      },
      'postgres-by-name': {
        image: 'client',
        services: ['postgres'],
        mounts,
        env: {
          PGHOST: '${postgres.host}',
          PGPORT: '${postgres.port}',
          PGUSER: 'e2e',
          PGPASSWORD: 'e2e-pw',
          PGDATABASE: 'e2e',
        },
        run:
          'sh /e2e/junit.sh /out/pg.xml postgres \'psql selects 1\' \'[ "$(psql -qAt -c "select 1")" = 1 ]\' ' +
          '\'psql creates a table\' \'psql -v ON_ERROR_STOP=1 -qAt -c "create table t(v int); insert into t values (7)" && [ "$(psql -qAt -c "select v from t")" = 7 ]\'',
        results: { junit: '/out/pg.xml' },
      },
      'on-localhost': {
        image: 'client',
        services: ['redis', 'postgres'],
        mounts,
        localhost: localhostPhaseSharesNamespace,
        env: { PGPASSWORD: 'e2e-pw' },
        run:
          "sh /e2e/tap.sh /out/localhost.tap 'redis on localhost' '[ \"$(redis-cli -h localhost -p 6379 ping)\" = PONG ]' " +
          '\'postgres on localhost\' \'[ "$(psql -h localhost -p 5432 -U e2e -d e2e -qAt -c "select 1")" = 1 ]\'',
        results: { tap: '/out/localhost.tap' },
      },
      // Runs once redis's last user is done (redis stops): postgres must still answer on its host.
      'postgres-after-redis-stopped': {
        image: 'client',
        services: ['postgres'],
        mounts,
        needs: ['on-localhost', 'redis-by-name'],
        env: {
          PGHOST: '${postgres.host}',
          PGPORT: '${postgres.port}',
          PGUSER: 'e2e',
          PGPASSWORD: 'e2e-pw',
          PGDATABASE: 'e2e',
        },
        run: 'sleep 2; sh /e2e/tap.sh /out/after.tap \'postgres still answers\' \'[ "$(psql -qAt -c "select 1")" = 1 ]\'',
        results: { tap: '/out/after.tap' },
      },
    },
    gates: { tests: { failed: 0, minExecuted: 7 } },
  };
}

t.test('real Redis and PostgreSQL, reached by name and on localhost: exit 0, status passed', async (t) => {
  if (!requireEngine(t)) return;
  const out = tempDir('services-out');
  const res = await runCli(['run', writePlan(servicesPlan('e2e-services', true)), '--out', out]);
  t.equal(res.code, 0, `exit 0\n${res.stderr}`);
  const results = readResults(out);
  t.equal(results.verdict, 'passed');
  t.same(results.phases.map((p) => [p.name, p.status]).sort(), [
    ['on-localhost', 'passed'],
    ['postgres-after-redis-stopped', 'passed'],
    ['postgres-by-name', 'passed'],
    ['redis-by-name', 'passed'],
  ]);
  t.same(results.tests, { total: 7, passed: 7, failed: 0, errored: 0, skipped: 0 });
  for (const name of ['redis', 'postgres']) {
    const service = results.services.find((s) => s.name === name);
    t.equal(service?.status, 'ready', `${name} ready`);
    t.ok(
      typeof service?.readyMs === 'number' && service.readyMs > 0,
      `${name} has a ready time (${service?.readyMs} ms)`,
    );
  }
  const report = readOut(out, 'report.md');
  t.match(frontMatter(report), /^status: passed$/m);
  for (const name of ['redis', 'postgres']) {
    t.match(
      report,
      new RegExp(`^\\| ${name} \\| ${name} \\| [\\d.]+m?s \\| \\d+ \\| ✅ ready \\|$`, 'm'),
      `report shows ${name}'s time to ready`,
    );
  }
  t.match(
    readFileSync(join(out, 'phases/postgres-by-name/files/out/pg.xml'), 'utf8'),
    /psql creates a table/,
    'junit copied out',
  );
  await assertNothingLeft(t, results);
});

t.test(
  'the same plan made worse (the localhost-only client without localhost: true): exit 1, status failed',
  async (t) => {
    if (!requireEngine(t)) return;
    const out = tempDir('services-worse-out');
    const summary = join(tempDir('summary'), 'step-summary.md');
    const res = await runCli(['run', writePlan(servicesPlan('e2e-services-worse', false)), '--out', out], {
      env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary },
    });
    t.equal(res.code, 1, `exit 1\n${res.stderr}`);
    const results = readResults(out);
    t.equal(results.verdict, 'failed');
    t.equal(results.phases.find((p) => p.name === 'on-localhost')?.status, 'failed');
    t.equal(results.phases.find((p) => p.name === 'redis-by-name')?.status, 'passed');
    t.match(frontMatter(readOut(out, 'report.md')), /^status: failed$/m);
    t.match(readOut(out, 'junit.xml'), /<failure/);

    // Under GitHub Actions: the report appended to the step summary, failures annotated, phase logs grouped.
    t.match(readFileSync(summary, 'utf8'), /e2e-services-worse/, 'report appended to $GITHUB_STEP_SUMMARY');
    t.match(res.stdout, /^::error.*on-localhost/m, '::error annotation names the failing phase');
    t.match(res.stdout, /^::group::.*on-localhost/m, 'phase log grouped');
    t.match(res.stdout, /^::endgroup::/m);
    await assertNothingLeft(t, results);
  },
);
