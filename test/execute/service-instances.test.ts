/** Per-phase service instances (scope: 'phase') on the recording fake driver, through to results.json and the report. */
import t from 'tap';
import { compilePlan } from '../../src/compile/compile.js';
import type { TestPlan } from '../../src/dsl/plan.js';
import type { RunEvent } from '../../src/execute/events.js';
import { executePlan } from '../../src/execute/execute-plan.js';
import { renderMarkdown } from '../../src/report/markdown/render-markdown.js';
import { runIdentity } from '../../src/run/run-identity.js';
import { runPlan } from '../../src/run/run-plan.js';
import { plainProgress } from '../../src/cli/reporters/plain.js';
import { FakeDriver } from '../helpers/fake-driver.js';
import { phase, plan, service } from '../helpers/plan-builder.js';
import { tempDir } from '../helpers/temp-dir.js';

const isolated = (scope: 'run' | 'phase'): TestPlan =>
  plan({
    services: [
      service('db', { ports: [5432], scope, scopeWritten: true }),
      service('api', { ports: [8080], dependsOn: ['db'], scope, scopeWritten: true, env: { DB: '${db.host}' } }),
    ],
    phases: [
      phase('unit', { services: ['api', 'db'], env: { URL: 'http://${api.host}:${api.port}', DB: '${db.host}' } }),
      phase('e2e', { services: ['db'], env: { DB: '${db.host}:${db.port}' } }),
    ],
  });

const run = { runId: 'run-1', plan: 'demo', labels: {}, outDir: '/tmp/out' };

t.test('each phase reaches its own instance; each instance starts, waits and stops on its own', async (t) => {
  const p = isolated('phase');
  const driver = new FakeDriver();
  const events: RunEvent[] = [];
  const record = await executePlan(p, compilePlan(p), driver, { run, concurrency: 2, onEvent: (e) => events.push(e) });
  t.ok(
    record.steps.every((s) => s.status === 'passed'),
    'every step passed',
  );
  const env = (name: string) => driver.requests.find((r) => r.name === name)!.env;
  t.same(env('unit'), { URL: 'http://api--unit:8080', DB: 'db--unit' });
  t.same(env('e2e'), { DB: 'db--e2e:5432' });
  t.same(
    driver.serviceRequests.find((r) => r.alias === 'api--unit')!.env,
    { DB: 'db--unit' },
    "an instance's templates resolve to its phase's instances",
  );
  for (const alias of ['db--unit', 'api--unit', 'db--e2e']) {
    t.equal(driver.calls.filter((c) => c === `start ${alias}`).length, 1, `${alias} started once`);
    t.ok(driver.calls.includes(`stop ${alias}`), `${alias} stopped`);
  }
  t.ok(driver.calls.indexOf('stop db--unit') > driver.calls.indexOf('collect unit#1'), 'stopped after collection');
  t.ok(driver.calls.indexOf('stop db--unit') > driver.calls.indexOf('stop api--unit'), 'dependents stop first');
  const ref = events.find((e) => e.kind === 'step-started' && e.step.id === 'wait-ready:db (for e2e)');
  t.ok(ref, 'step events carry readable ids');
});

t.test('the same plan with scope run shares one instance', async (t) => {
  const p = isolated('run');
  const driver = new FakeDriver();
  await executePlan(p, compilePlan(p), driver, { run, concurrency: 2 });
  t.same(driver.requests.find((r) => r.name === 'e2e')!.env, { DB: 'db:5432' });
  t.equal(driver.calls.filter((c) => c.startsWith('start ')).length, 2);
});

t.test('results.json, the report and plain output name each instance', async (t) => {
  const p = isolated('phase');
  const outDir = tempDir('instances');
  const lines: string[] = [];
  const plain = plainProgress({ verbosity: 'verbose', write: (text) => lines.push(text) });
  const results = await runPlan({
    plan: p,
    graph: compilePlan(p),
    driver: new FakeDriver(),
    run: runIdentity(p.name, 'run-1', outDir),
    signal: new AbortController().signal,
    onEvent: plain,
  });
  t.same(
    results.services.map((s) => [s.name, s.forPhase, s.status]),
    [
      ['db', 'unit', 'ready'],
      ['api', 'unit', 'ready'],
      ['db', 'e2e', 'ready'],
    ],
  );
  const step = results.steps.find((s) => s.id === 'wait-ready:db (for e2e)')!;
  t.match(step, { kind: 'wait-ready', subject: 'db', forPhase: 'e2e', status: 'passed' });
  const report = renderMarkdown(results);
  t.match(report, /\| db \(for unit\) \|/);
  t.match(report, /\| db \(for e2e\) \|/);
  t.match(lines.join(''), /✔ wait-ready:db \(for e2e\) passed/);
});

t.test(
  "an instance that never becomes ready fails only its phase's run, and the report names the instance",
  async (t) => {
    const p = isolated('phase');
    const outDir = tempDir('instances');
    const results = await runPlan({
      plan: p,
      graph: compilePlan(p),
      driver: new FakeDriver({ notReady: ['db--e2e'] }),
      run: runIdentity(p.name, 'run-1', outDir),
      signal: new AbortController().signal,
      onEvent: () => {},
    });
    t.equal(results.exitCode, 3, 'a service that never became ready is an infrastructure failure');
    t.same(
      results.phases.map((ph) => [ph.name, ph.status]),
      [
        ['unit', 'passed'],
        ['e2e', 'skipped'],
      ],
      "the other phase's instances were fine",
    );
    const e2eDb = results.services.find((s) => s.forPhase === 'e2e')!;
    t.equal(e2eDb.status, 'not-ready');
    t.match(e2eDb.message, /^service db \(for e2e\): it did not become ready.*Check services\.db\.ready/);
    const report = renderMarkdown(results);
    t.match(report, /### Service `db \(for e2e\)`/);
  },
);
