/**
 * With a `localhost: true` phase every service shares one network namespace, owned by the first
 * service started. A service joined to it must keep its network until its own last phase is done,
 * even when the owner's last phase finished earlier.
 */
import t from 'tap';
import {
  assertNothingLeft,
  FIXTURE_IMAGES,
  readResults,
  requireEngine,
  runCli,
  tempDir,
  writePlan,
} from './e2e-helpers.js';

const PG = { PGUSER: 'e2e', PGPASSWORD: 'e2e-pw', PGDATABASE: 'e2e' };

const plan = {
  name: 'e2e-namespace-teardown',
  images: {
    // A `ref` image resolves at once, before the builds finish: `anchor` starts first and owns the namespace.
    base: { ref: 'testplan-base:bookworm', pull: 'never' },
    postgres: FIXTURE_IMAGES.postgres,
    client: FIXTURE_IMAGES.client,
  },
  services: {
    anchor: { image: 'base', command: 'sleep 300', ready: { exec: 'true' } },
    postgres: {
      image: 'postgres',
      env: { POSTGRES_USER: 'e2e', POSTGRES_PASSWORD: 'e2e-pw', POSTGRES_DB: 'e2e' },
      ready: { preset: 'postgres', user: 'e2e', database: 'e2e' },
    },
  },
  phases: {
    'on-localhost': {
      image: 'client',
      services: ['anchor', 'postgres'],
      localhost: true,
      env: PG,
      run: '[ "$(psql -h localhost -p 5432 -qAt -c "select 1")" = 1 ]',
    },
    // Once on-localhost is collected, anchor (the owner) has no user left and is stopped.
    later: {
      image: 'client',
      services: ['postgres'],
      needs: ['on-localhost'],
      env: { ...PG, PGHOST: '${postgres.host}', PGPORT: '${postgres.port}' },
      run: 'sleep 2; [ "$(psql -qAt -c "select 1")" = 1 ]',
    },
  },
};

t.test("a joined service still answers after the namespace owner's last phase", async (t) => {
  if (!requireEngine(t)) return;
  const out = tempDir('namespace-teardown');
  const res = await runCli(['run', writePlan(plan), '--out', out]);
  const results = readResults(out);
  t.equal(results.phases.find((p) => p.name === 'on-localhost')?.status, 'passed');
  t.equal(results.phases.find((p) => p.name === 'later')?.status, 'passed', `later reaches postgres\n${res.stderr}`);
  t.equal(res.code, 0);
  await assertNothingLeft(t, results);
});
