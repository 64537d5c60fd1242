/**
 * False greens a driver can cause, judged by the executor and the results builder on a fake
 * driver (test/conformance holds each driver to its side of the same cases).
 */
import t from 'tap';
import type { TestPlan } from '../../src/dsl/plan.js';
import { Value } from '@sinclair/typebox/value';
import { RunResultsSchema } from '../../src/report/results-schema.js';
import { renderMarkdown } from '../../src/report/markdown/render-markdown.js';
import type { FakeBehaviour } from '../helpers/fake-driver.js';
import { phase, plan, service } from '../helpers/plan-builder.js';
import { runOnFake } from '../helpers/run-on-fake.js';

const junit = `<?xml version="1.0"?><testsuites><testsuite name="unit" tests="1"><testcase classname="t" name="test_ok" time="0.01"/></testsuite></testsuites>`;
const lcov = `SF:/app/a.py\nDA:1,1\nLF:1\nLH:1\nend_of_record\n`;

const run = async (p: TestPlan, behaviour: FakeBehaviour) => (await runOnFake(p, behaviour)).results;

const withResults = (services: string[] = []) =>
  plan({
    phases: [
      phase('unit', {
        services,
        results: { format: 'junit', path: '/out/junit.xml' },
        coverage: { format: 'lcov', path: '/out/lcov.info', pathMap: {} },
      }),
    ],
    services: services.map((name) => service(name)),
  });
const files = { '/out/junit.xml': junit, '/out/lcov.info': lcov };

t.test('a results file the attempt did not write makes the phase an error, not a pass', async (t) => {
  const good = await run(withResults(), { files });
  t.equal(good.phases[0]!.status, 'passed', 'the same files, written by the phase, pass');
  const stale = await run(withResults(), { files, stale: ['/out/junit.xml'] });
  t.equal(stale.phases[0]!.status, 'error');
  t.equal(
    stale.phases[0]!.message,
    '/out/junit.xml was not written by this phase (it predates the phase start) (phases.unit.results)',
  );
  t.not(stale.verdict, 'passed');
});

t.test('a coverage file the attempt did not write makes the phase an error', async (t) => {
  const stale = await run(withResults(), { files, stale: ['/out/lcov.info'] });
  t.equal(stale.phases[0]!.status, 'error');
  t.match(stale.phases[0]!.message, /^\/out\/lcov\.info was not written by this phase \(it predates the phase start\)/);
  t.not(stale.verdict, 'passed');
});

t.test('an artifact named like the results file never replaces it', async (t) => {
  const p = plan({
    phases: [phase('unit', { results: { format: 'junit', path: '/out/junit.xml' }, artifacts: ['/old/junit.xml'] })],
  });
  const results = await run(p, {
    files: {
      '/out/junit.xml': junit,
      '/old/junit.xml':
        '<testsuites><testsuite name="x" tests="1"><testcase name="b"><failure/></testcase></testsuite></testsuites>',
    },
  });
  t.equal(results.phases[0]!.status, 'passed');
  t.same(results.phases[0]!.artifacts, ['phases/unit/files/out/junit.xml', 'phases/unit/files/old/junit.xml']);
});

t.test(
  'a service found dead before its phase starts fails the run as infrastructure (exit 3), never "ready"',
  async (t) => {
    const results = await run(withResults(['redis']), { files, exits: { redis: { exitCode: 1 } } });
    t.equal(results.exitCode, 3);
    const redis = results.services.find((s) => s.name === 'redis')!;
    t.match(redis, {
      status: 'exited',
      exitCode: 1,
      exitedAt: '2026-01-01T00:00:00.000Z',
      logTail: ['service log line'],
    });
    t.match(
      results.message,
      /service redis exited with code 1 at 2026-01-01T00:00:00.000Z: phase unit could not start/,
    );
    t.not(results.phases[0]!.status, 'passed');
    const report = renderMarkdown(results);
    t.match(report, /### Service `redis` — ❌ exited/, 'the report lists it among the failures');
    t.match(report, /service log line/, 'with its log tail');
    t.ok(Value.Check(RunResultsSchema, JSON.parse(JSON.stringify(results))), 'results.json still matches its schema');
  },
);

t.test('a service that dies while its phase runs fails the run (exit 3) even though the phase passed', async (t) => {
  const results = await run(withResults(['redis']), { files, exits: { redis: { exitCode: 137, during: 'unit' } } });
  t.equal(results.exitCode, 3);
  t.match(
    results.services.find((s) => s.name === 'redis'),
    { status: 'exited', exitCode: 137, message: /exited with code 137 at .* while a phase that uses it was running/ },
  );
  t.match(results.message, /service redis exited with code 137 .*: it died while phase unit ran \(attempt 1\)/);
});

t.test('a service that exits only after every phase using it ended does not fail the run', async (t) => {
  const p = plan({
    phases: [
      phase('unit', { services: ['redis'], results: { format: 'junit', path: '/out/junit.xml' } }),
      phase('later', { needs: ['unit'] }),
    ],
    services: [service('redis')],
  });
  const results = await run(p, {
    files: { '/out/junit.xml': junit },
    exits: { redis: { exitCode: 0, during: 'later' } },
  });
  t.equal(results.exitCode, 0);
});

t.test('a service without a probe is "started (no probe)", never "ready"', async (t) => {
  const p = plan({
    phases: [phase('unit', { services: ['cache'] })],
    services: [service('cache', { ready: undefined })],
  });
  const results = await run(p, {});
  t.match(results.services[0], { status: 'started', message: 'started (no probe)' });
  t.notMatch(renderMarkdown(results), /✅ ready/);
});
