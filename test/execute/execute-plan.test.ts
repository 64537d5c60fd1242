import t from 'tap';
import { compilePlan } from '../../src/compile/compile.js';
import { Secret } from '../../src/dsl/secret.js';
import type { RunEvent } from '../../src/execute/events.js';
import { executePlan } from '../../src/execute/execute-plan.js';
import { FakeDriver, type FakeBehaviour } from '../helpers/fake-driver.js';
import { phase, plan, service } from '../helpers/plan-builder.js';
import type { TestPlan } from '../../src/dsl/plan.js';

const run = { runId: 'run-1', plan: 'demo', labels: {}, outDir: '/tmp/out' };

async function execute(
  p: TestPlan,
  behaviour: FakeBehaviour = {},
  options: { concurrency?: number; failFast?: boolean; signal?: AbortSignal; keep?: boolean; phases?: string[] } = {},
) {
  const driver = new FakeDriver(behaviour);
  const events: RunEvent[] = [];
  const record = await executePlan(p, compilePlan(p, options.phases ? { phases: options.phases } : {}), driver, {
    run,
    concurrency: options.concurrency ?? 4,
    failFast: options.failFast ?? false,
    keep: options.keep ?? false,
    ...(options.signal ? { signal: options.signal } : {}),
    onEvent: (e) => events.push(e),
  });
  const status = Object.fromEntries(record.steps.map((s) => [s.step.id, s.status]));
  return { driver, events, record, status };
}

const twoServices = plan({
  services: [service('postgres', { ports: [5432] }), service('redis', { ports: [6379] })],
  phases: [
    phase('unit', { results: { format: 'junit', path: '/out/junit.xml' } }),
    phase('integration', {
      needs: ['unit'],
      services: ['postgres', 'redis'],
      env: {
        DATABASE_URL: 'postgresql://u@${postgres.host}:${postgres.port}/db',
        PASSWORD: new Secret('s3cret', 'env'),
      },
    }),
  ],
});

t.test('a passing run starts services once, resolves templates, collects and tears everything down', async (t) => {
  const { driver, status, record } = await execute(twoServices);
  t.ok(
    Object.values(status).every((s) => s === 'passed'),
    'every step passed',
  );
  const integration = driver.requests.find((r) => r.name === 'integration')!;
  t.equal(integration.env.DATABASE_URL, 'postgresql://u@postgres:5432/db');
  t.equal(integration.env.PASSWORD, 's3cret', 'secrets reach the container revealed');
  t.equal(driver.calls.filter((c) => c === 'start postgres').length, 1);
  t.ok(driver.calls.indexOf('ready postgres') < driver.calls.indexOf('run integration#1'));
  t.ok(driver.calls.indexOf('run unit#1') < driver.calls.indexOf('run integration#1'), 'needs respected');
  t.ok(driver.calls.includes('collect unit#1') && driver.calls.includes('release unit#1'));
  t.ok(driver.calls.indexOf('stop postgres') > driver.calls.indexOf('collect integration#1'));
  t.equal(driver.calls.at(-1), 'network remove');
  t.same(driver.cleanedUp, ['run-1'], 'label cleanup runs as a last safety net');
  t.same(record.state.phases.get('unit')!.collected, [
    { source: '/out/junit.xml', path: '/tmp/out/phases/unit/files/out/junit.xml', writtenByPhase: true },
  ]);
});

t.test('independent phases run in parallel up to the concurrency limit', async (t) => {
  const p = plan({ phases: ['a', 'b', 'c', 'd'].map((n) => phase(n)) });
  const durations = { a: 40, b: 40, c: 40, d: 40 };
  t.equal((await execute(p, { durations }, { concurrency: 4 })).driver.maxConcurrent, 4);
  t.equal((await execute(p, { durations }, { concurrency: 2 })).driver.maxConcurrent, 2);
  t.equal((await execute(p, { durations }, { concurrency: 1 })).driver.maxConcurrent, 1);
});

t.test('a failing phase skips the phases that need it but still tears down', async (t) => {
  const { status, driver } = await execute(twoServices, { exitCodes: { unit: [1] } });
  t.equal(status['run-phase:unit'], 'failed');
  t.equal(status['run-phase:integration'], 'skipped');
  t.equal(status['collect-artifacts:unit'], 'passed', 'artifacts are collected from a failed phase');
  t.equal(status['stop-service:postgres'], 'passed');
  t.equal(status['remove-network'], 'passed');
  t.notOk(driver.calls.includes('run integration#1'));
});

t.test('retries are recorded per attempt and the last attempt decides', async (t) => {
  const p = plan({ phases: [phase('flaky', { retries: 2 })] });
  const { record, status, driver } = await execute(p, { exitCodes: { flaky: [1, 1, 0] } });
  t.equal(status['run-phase:flaky'], 'passed');
  t.same(
    record.state.phases.get('flaky')!.attempts.map((a) => a.exitCode),
    [1, 1, 0],
  );
  t.ok(
    driver.calls.includes('release flaky#1') && driver.calls.includes('release flaky#2'),
    'earlier attempts released',
  );
  const failing = await execute(p, { exitCodes: { flaky: [1] } });
  t.equal(failing.status['run-phase:flaky'], 'failed');
  t.equal(failing.record.state.phases.get('flaky')!.attempts.length, 3);
});

t.test('--fail-fast cancels running and pending phases after the first failure', async (t) => {
  const p = plan({ phases: [phase('fast'), phase('slow'), phase('later', { needs: ['slow'] })] });
  const { status } = await execute(
    p,
    { exitCodes: { fast: [1] }, durations: { fast: 5, slow: 5000 } },
    { failFast: true },
  );
  t.equal(status['run-phase:fast'], 'failed');
  t.equal(status['run-phase:slow'], 'cancelled');
  t.equal(status['run-phase:later'], 'cancelled');
  t.equal(status['remove-network'], 'passed');
  const without = await execute(p, { exitCodes: { fast: [1] }, durations: { slow: 20 } });
  t.equal(without.status['run-phase:later'], 'passed', 'without fail-fast the rest goes on');
});

t.test('an abort cancels the run, tears down what was started and marks it interrupted', async (t) => {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 30);
  const { status, record, driver } = await execute(
    twoServices,
    { durations: { unit: 5000 } },
    { signal: controller.signal },
  );
  t.equal(record.interrupted, true);
  t.equal(status['run-phase:unit'], 'cancelled');
  t.equal(status['run-phase:integration'], 'cancelled');
  t.equal(status['stop-service:redis'], 'passed');
  t.ok(driver.calls.includes('network remove'));
  t.same(driver.cleanedUp, ['run-1']);
});

t.test('an image build failure is an infrastructure error and nothing depending on it runs', async (t) => {
  const { status, record, driver } = await execute(twoServices, { failBuild: ['app'] });
  t.equal(status['build-image:app'], 'failed');
  t.equal(status['run-phase:unit'], 'skipped');
  t.same(record.state.infraError, { code: 'IMAGE_BUILD_FAILED', message: 'image app: build failed at step 2/3' });
  t.notOk(driver.calls.some((c) => c.startsWith('run ')));
});

t.test('a service that never becomes ready fails its phases with exit-3 evidence', async (t) => {
  const { status, record } = await execute(twoServices, { notReady: ['redis'] });
  t.equal(status['wait-ready:redis'], 'failed');
  t.equal(status['run-phase:integration'], 'skipped');
  t.equal(status['run-phase:unit'], 'passed');
  t.equal(record.state.infraError?.code, 'SERVICE_NOT_READY');
  t.match(
    record.state.infraError?.message,
    /service redis: it did not become ready within 1000 ms \(20 probes\)\. Last probe output: connection refused\./,
  );
  t.same(record.state.services.get('redis')!.logTail, ['booting…']);
});

t.test('services are only started when a selected phase needs them', async (t) => {
  const { driver } = await execute(twoServices, {}, { phases: ['unit'] });
  t.notOk(driver.calls.some((c) => c.startsWith('start ')));
});

t.test('log lines are redacted before anyone sees them', async (t) => {
  const p = plan({ phases: [phase('leaky')], secrets: [new Secret('hunter2', 'x')] });
  const { events, record } = await execute(p, { logs: { leaky: ['password is hunter2'] } });
  const lines = events.filter((e) => e.kind === 'log').map((e) => (e as { line: string }).line);
  t.same(lines, ['password is ***']);
  t.same(record.state.phases.get('leaky')!.attempts[0]!.logTail, ['password is ***']);
});

t.test('--keep leaves services and the network up', async (t) => {
  const { driver, status } = await execute(twoServices, {}, { keep: true });
  t.notOk(driver.calls.includes('stop postgres'));
  t.equal(status['stop-service:postgres'], 'skipped');
  t.same(driver.cleanedUp, []);
});

t.test('phase containers are removed while the run goes on; the network goes once they are gone', async (t) => {
  const { driver, status } = await execute(twoServices, { releaseMs: 40 });
  t.ok(Object.values(status).every((s) => s === 'passed'));
  t.ok(
    driver.calls.indexOf('stop postgres') < driver.calls.indexOf('released integration#1'),
    'the services stop while the last phase is being removed',
  );
  t.ok(driver.calls.indexOf('released integration#1') < driver.calls.indexOf('network remove'));
  t.ok(driver.calls.indexOf('released unit#1') < driver.calls.indexOf('network remove'));
});

t.test('a phase container that cannot be removed fails the network removal, not the phase', async (t) => {
  const { driver, status, record } = await execute(twoServices, { failRelease: ['unit'] });
  t.equal(status['collect-artifacts:unit'], 'passed');
  t.equal(status['run-phase:integration'], 'passed');
  t.not(status['remove-network'], 'passed');
  t.match(record.steps.find((s) => s.step.id === 'remove-network')?.message, /container of unit could not be removed/);
  t.notOk(driver.calls.includes('network remove'));
  t.ok(driver.cleanedUp.includes('run-1'), 'what is left goes by label');
});
