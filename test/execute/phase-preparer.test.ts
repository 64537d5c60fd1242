/** Phases prepared ahead (PhasePreparer through executePlan, on the fake driver): what is prepared when, and that nothing prepared is left. */
import t from 'tap';
import { compilePlan } from '../../src/compile/compile.js';
import type { TestPlan } from '../../src/dsl/plan.js';
import { executePlan } from '../../src/execute/execute-plan.js';
import type { RunHistory } from '../../src/execute/run-history.js';
import { SLOW_TO_READY_MS } from '../../src/execute/plan-step-runner.js';
import { FakeDriver, type FakeBehaviour } from '../helpers/fake-driver.js';
import { phase, plan, service } from '../helpers/plan-builder.js';

const run = { runId: 'run-ahead', plan: 'demo', labels: {}, outDir: '/tmp/out' };

async function execute(
  p: TestPlan,
  behaviour: FakeBehaviour = {},
  options: { concurrency?: number; signal?: AbortSignal; keep?: boolean; phases?: string[]; history?: RunHistory } = {},
) {
  const driver = new FakeDriver(behaviour);
  const record = await executePlan(p, compilePlan(p, options.phases ? { phases: options.phases } : {}), driver, {
    run,
    concurrency: options.concurrency ?? 4,
    keep: options.keep ?? false,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.history ? { history: Promise.resolve(options.history) } : {}),
  });
  const status = Object.fromEntries(record.steps.map((s) => [s.step.id, s.status]));
  return { driver, record, status };
}

const withDatabase = plan({
  services: [service('postgres', { ports: [5432] })],
  phases: [
    phase('unit'),
    phase('integration', {
      needs: ['unit'],
      services: ['postgres'],
      env: { DATABASE_URL: 'postgresql://u@${postgres.host}:${postgres.port}/db' },
      retries: 1,
    }),
  ],
});

t.test('a phase is prepared while its service gets ready, and runs from what was prepared', async (t) => {
  const { driver, status } = await execute(withDatabase, { readyMs: { postgres: 50 } });
  t.ok(
    Object.values(status).every((s) => s === 'passed'),
    'every step passed',
  );
  const calls = driver.calls;
  t.ok(calls.indexOf('start postgres') < calls.indexOf('prepare integration'), 'after its service started');
  t.ok(calls.indexOf('prepare integration') < calls.indexOf('ready postgres done'), 'before it was ready');
  t.ok(calls.indexOf('prepare integration') < calls.indexOf('run integration#1'));
  t.same(driver.ranPrepared.sort(), ['integration#1', 'unit#1']);
  const prepared = driver.preparedRequests.find((r) => r.name === 'integration')!;
  const ran = driver.requests.find((r) => r.name === 'integration')!;
  t.same(prepared, ran, 'the prepared request is the one that runs (templates resolved alike)');
  t.equal(prepared.env.DATABASE_URL, 'postgresql://u@postgres:5432/db');
  t.same(driver.preparedOpen, new Set(), 'nothing prepared is left');
});

t.test('a retry is a new attempt: only the first one comes prepared', async (t) => {
  const { driver, status } = await execute(withDatabase, { exitCodes: { integration: [1, 0] } });
  t.equal(status['run-phase:integration'], 'passed');
  t.ok(driver.ranPrepared.includes('integration#1'));
  t.notOk(driver.ranPrepared.includes('integration#2'));
  t.ok(driver.calls.includes('run integration#2'));
  t.same(driver.preparedOpen, new Set());
});

t.test('a service that never gets ready: its prepared phase is released before the network goes', async (t) => {
  const { driver, status } = await execute(withDatabase, { notReady: ['postgres'] });
  t.equal(status['run-phase:integration'], 'skipped');
  t.ok(driver.calls.includes('prepare integration'), 'it had been prepared');
  t.notOk(driver.calls.includes('run integration#1'));
  t.same(driver.preparedOpen, new Set(), 'released');
  t.ok(driver.calls.indexOf('release integration#prepared') < driver.calls.indexOf('network remove'));
});

t.test('a cancelled run (Ctrl-C) releases what was prepared', async (t) => {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 30);
  const { driver, status } = await execute(
    withDatabase,
    { readyMs: { postgres: 5000 } },
    { signal: controller.signal },
  );
  t.equal(status['run-phase:integration'], 'cancelled');
  t.ok(driver.calls.includes('prepare integration'));
  t.same(driver.preparedOpen, new Set(), 'released');
});

t.test('--keep keeps what ran but releases what was prepared and never ran', async (t) => {
  const { driver } = await execute(withDatabase, { notReady: ['postgres'] }, { keep: true });
  t.notOk(driver.calls.includes('stop postgres'), 'the service is kept');
  t.same(driver.preparedOpen, new Set());
});

t.test('not prepared: phases outside the selection and phases in the shared namespace', async (t) => {
  const selected = await execute(withDatabase, {}, { phases: ['unit'] });
  t.notOk(selected.driver.calls.includes('prepare integration'));

  const shared = plan({
    services: [service('db')],
    phases: [phase('legacy', { services: ['db'], localhost: true })],
  });
  const { driver, status } = await execute(shared);
  t.equal(status['run-phase:legacy'], 'passed');
  t.notOk(driver.calls.includes('prepare legacy'), 'it joins whichever service owns the namespace');
});

t.test('at most two prepared phases wait at once', async (t) => {
  const many = plan({ phases: ['a', 'b', 'c', 'd', 'e'].map((name) => phase(name)) });
  const { driver, status } = await execute(
    many,
    { durations: { a: 20, b: 20, c: 20, d: 20, e: 20 } },
    { concurrency: 1 },
  );
  t.ok(
    Object.values(status).every((s) => s === 'passed'),
    'every step passed',
  );
  t.equal(driver.maxPreparedOpen, 2);
  t.equal(driver.ranPrepared.length, 5, 'each phase still came prepared');
  t.same(driver.preparedOpen, new Set());
});

t.test('with addresses the driver plans, a phase is prepared before its service has even started', async (t) => {
  const { driver, status } = await execute(withDatabase, { plannedAddresses: 'as-started', readyMs: { postgres: 30 } });
  t.equal(status['run-phase:integration'], 'passed');
  t.ok(driver.calls.indexOf('prepare integration') < driver.calls.indexOf('start postgres'), 'prepared first');
  t.ok(driver.ranPrepared.includes('integration#1'), 'and ran from what was prepared');
  const prepared = driver.preparedRequests.find((r) => r.name === 'integration')!;
  t.same(
    prepared,
    driver.requests.find((r) => r.name === 'integration'),
  );
  t.equal(prepared.env.DATABASE_URL, 'postgresql://u@postgres:5432/db');
  t.same(driver.preparedOpen, new Set());
});

t.test(
  'a service slow to get ready in the last run starts first; its phases are prepared during its wait',
  async (t) => {
    const history = (ms: number): RunHistory => ({ shardFileMs: new Map(), readyMs: new Map([['postgres', ms]]) });
    const slow = await execute(
      withDatabase,
      { plannedAddresses: 'as-started', readyMs: { postgres: 30 } },
      { history: history(SLOW_TO_READY_MS) },
    );
    t.equal(slow.status['run-phase:integration'], 'passed');
    const calls = slow.driver.calls;
    t.ok(calls.indexOf('start postgres') < calls.indexOf('prepare integration'), 'the service first');
    t.ok(calls.indexOf('prepare integration') < calls.indexOf('ready postgres done'), 'the phase during its wait');
    t.ok(slow.driver.ranPrepared.includes('integration#1'));

    const quick = await execute(
      withDatabase,
      { plannedAddresses: 'as-started', readyMs: { postgres: 30 } },
      { history: history(SLOW_TO_READY_MS - 1) },
    );
    t.ok(
      quick.driver.calls.indexOf('prepare integration') < quick.driver.calls.indexOf('start postgres'),
      'a quick one starts beside the phase',
    );
  },
);

t.test("a run does not wait for the last run's figures: until they are read, no service counts as slow", async (t) => {
  const driver = new FakeDriver({ plannedAddresses: 'as-started', readyMs: { postgres: 30 } });
  const record = await executePlan(withDatabase, compilePlan(withDatabase), driver, {
    run,
    concurrency: 4,
    history: new Promise<RunHistory>(() => undefined), // a crowded folder of runs, still being read
  });
  t.ok(record.steps.every((s) => s.status === 'passed'));
  t.ok(driver.calls.indexOf('prepare integration') < driver.calls.indexOf('start postgres'), 'prepared beside it');
});

t.test('a phase prepared for another address than its service got is released and runs fresh', async (t) => {
  const { driver, status } = await execute(withDatabase, { plannedAddresses: 'wrong' });
  t.equal(status['run-phase:integration'], 'passed');
  t.equal(
    driver.preparedRequests.find((r) => r.name === 'integration')!.env.DATABASE_URL,
    'postgresql://u@elsewhere:5432/db',
  );
  t.notOk(driver.ranPrepared.includes('integration#1'), 'not run from the mismatched preparation');
  t.equal(driver.requests.find((r) => r.name === 'integration')!.env.DATABASE_URL, 'postgresql://u@postgres:5432/db');
  t.ok(driver.calls.includes('release integration#prepared'), 'released');
  t.same(driver.preparedOpen, new Set());
});

t.test('the next two phases in graph order are prepared side by side, a third once one is taken', async (t) => {
  const three = plan({ phases: ['a', 'b', 'c'].map((name) => phase(name)) });
  const { driver, status } = await execute(
    three,
    { prepareMs: 20, durations: { a: 60, b: 60, c: 60 } },
    { concurrency: 1 },
  );
  t.ok(Object.values(status).every((s) => s === 'passed'));
  const preparing = driver.calls.filter((c) => c.startsWith('prepare'));
  t.same(preparing.slice(0, 2), ['prepare a', 'prepare b'], 'a and b at once');
  t.ok(preparing.indexOf('prepare c') > preparing.indexOf('prepared a'), 'c waits for room');
  t.same(driver.ranPrepared, ['a#1', 'b#1', 'c#1']);
});

t.test(
  'a phase that mounts host files is not bound to them ahead while a phase it comes after still runs',
  async (t) => {
    const mounts = [{ source: '/work/dist', target: '/dist', readOnly: true }];
    const p = plan({
      phases: [
        phase('build', { mounts }),
        phase('test', { needs: ['build'], mounts }),
        phase('lint', { after: ['build'] }),
        phase('docs', { after: ['build'], mounts }),
      ],
    });
    const { driver, status } = await execute(p, { durations: { build: 40 } }, { concurrency: 1 });
    t.ok(Object.values(status).every((s) => s === 'passed'));
    t.same(driver.prepareOptions.get('build'), { mountsSettled: true }, 'nothing comes before build');
    const buildEnded = driver.calls.findIndex((c) => c.startsWith('collect build'));
    let whileBuilding = 0;
    for (const name of ['test', 'lint', 'docs']) {
      const prepared = driver.calls.indexOf(`prepare ${name}`);
      t.ok(prepared >= 0, `${name} was prepared`);
      if (prepared < buildEnded) whileBuilding++;
      t.same(
        driver.prepareOptions.get(name),
        { mountsSettled: prepared > buildEnded },
        `${name}: settled once build ended`,
      );
    }
    t.ok(whileBuilding > 0, 'some were prepared while build ran');
  },
);

t.test(
  'phases that take turns on an exclusive service are not bound to their mounts ahead while another may still run',
  async (t) => {
    const mounts = [{ source: '/work/fixtures', target: '/fixtures', readOnly: false }];
    const p = plan({
      services: [service('db', { exclusive: true })],
      phases: [
        phase('one', { services: ['db'], mounts }),
        phase('two', { services: ['db'], mounts }),
        phase('free', { mounts }),
      ],
    });
    const { driver, status } = await execute(p, { durations: { one: 30, two: 30 } }, { concurrency: 4 });
    t.ok(Object.values(status).every((s) => s === 'passed'));
    t.same(
      driver.prepareOptions.get('one'),
      { mountsSettled: false },
      'two may run first and change the mounted files',
    );
    t.same(driver.prepareOptions.get('two'), { mountsSettled: false });
    t.same(driver.prepareOptions.get('free'), { mountsSettled: true }, 'nothing takes turns with it');
  },
);
