/**
 * A suite-shaped workload for bench/sequential-phases.ts: PostgreSQL (with its init, as the official
 * image does it) and three phases one after the other, each querying it and then working for 0.3 s, as
 * suites of a monorepo's packages do. Images are local tags (`pull: 'never'`). Mirrors script.sh.
 */
import { definePhase, defineTestPlan } from 'testplan';

const suite = definePhase({
  image: 'client',
  services: ['pg'],
  env: { PGHOST: '${pg.host}', PGUSER: 'test_user', PGPASSWORD: 'test_password', PGDATABASE: 'app_test' },
  run: 'psql -qtAc "select 1" >/dev/null && sleep 0.3',
});

export default defineTestPlan({
  name: 'sequential-phases',
  images: {
    postgres: { ref: 'testplan-fixture/postgres:latest', pull: 'never' },
    client: { ref: 'testplan-fixture/client:latest', pull: 'never' },
  },
  services: {
    pg: {
      image: 'postgres',
      env: { POSTGRES_USER: 'test_user', POSTGRES_PASSWORD: 'test_password', POSTGRES_DB: 'app_test' },
      ports: [5432],
      ready: { preset: 'postgres' },
    },
  },
  phases: { api: suite, worker: { ...suite, needs: ['api'] }, web: { ...suite, needs: ['worker'] } },
});
