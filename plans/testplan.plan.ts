/**
 * Testplan's own plan: its unit tests inside its test image (Dockerfile.test), and a smoke suite
 * against real PostgreSQL and Redis. `npx plan run` runs it and writes the completion report.
 */
import { defineTestPlan, secret } from 'testplan';

const pgPassword = secret('testplan-smoke-pw');

export default defineTestPlan({
  name: 'testplan',
  description: "Testplan's own unit tests and a smoke test against real services",
  images: {
    test: { build: { context: '..', dockerfile: 'Dockerfile.test', target: 'test' } },
    redis: { build: { context: '../fixtures/docker', target: 'redis' } },
    postgres: { build: { context: '../fixtures/docker', target: 'postgres' } },
    client: { build: { context: '../fixtures/docker', target: 'client' } },
  },
  services: {
    redis: { image: 'redis', ready: { preset: 'redis' } },
    postgres: {
      image: 'postgres',
      env: { POSTGRES_USER: 'testplan', POSTGRES_PASSWORD: pgPassword, POSTGRES_DB: 'smoke' },
      ready: { preset: 'postgres', user: 'testplan', database: 'smoke', timeout: '60s' },
    },
  },
  phases: {
    unit: {
      image: 'test',
      run:
        'mkdir -p /out && npx tap test/dsl test/compile test/execute test/evidence test/report test/run ' +
        '--reporter=junit --reporter-file=/out/junit.xml --coverage-report=lcov --allow-incomplete-coverage; ' +
        'status=$?; cp .tap/report/lcov.info /out/lcov.info; exit $status',
      results: { junit: '/out/junit.xml' },
      coverage: { format: 'lcov', path: '/out/lcov.info' },
      timeout: '10m',
    },
    smoke: {
      image: 'client',
      services: ['redis', 'postgres'],
      mounts: [{ source: '../fixtures/smoke', target: '/smoke', readOnly: true }],
      env: {
        REDIS_HOST: '${redis.host}',
        REDIS_PORT: '${redis.port}',
        PGHOST: '${postgres.host}',
        PGPORT: '${postgres.port}',
        PGUSER: 'testplan',
        PGDATABASE: 'smoke',
        PGPASSWORD: pgPassword,
      },
      run: 'mkdir -p /out && sh /smoke/smoke.sh > /out/smoke.tap',
      results: { tap: '/out/smoke.tap' },
      timeout: '2m',
    },
  },
  gates: {
    coverage: { phases: { unit: { lines: 85, functions: 80 } } },
    tests: { failed: 0, minExecuted: 100 },
    duration: { max: '15m' },
  },
  acceptance: [
    {
      id: 'FR-1',
      requirement: 'Invalid plans are rejected with every problem and its path',
      verifiedBy: { tests: /dsl\/validate\.test/ },
    },
    {
      id: 'FR-2',
      requirement: 'The step graph respects needs, services and profiles',
      verifiedBy: { tests: /compile\.test/ },
    },
    { id: 'FR-3', requirement: 'Gates never pass without evidence', verifiedBy: { tests: /evidence\/gates\.test/ } },
    { id: 'FR-4', requirement: 'Real PostgreSQL and Redis answer the smoke suite', verifiedBy: { phases: ['smoke'] } },
    {
      id: 'FR-5',
      requirement: 'Damaged result and coverage files are errors, never passes',
      verifiedBy: { tests: /evidence\/fuzz\.test/ },
    },
    {
      id: 'NFR-1',
      kind: 'non-functional',
      requirement: 'The whole plan runs in under 15 minutes',
      verifiedBy: { gates: ['duration'] },
    },
    {
      id: 'NFR-2',
      kind: 'non-functional',
      requirement: 'Unit coverage of src/ stays at or above 85% of lines',
      verifiedBy: { gates: ['coverage'] },
    },
  ],
});
