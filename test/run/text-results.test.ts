/** `results: { text }`: tests read from what the phase printed, or from a file it wrote (fake driver). */
import t from 'tap';
import { readFileSync } from 'node:fs';
import type { TestPlan } from '../../src/dsl/plan.js';
import type { FakeBehaviour } from '../helpers/fake-driver.js';
import { phase, plan } from '../helpers/plan-builder.js';
import type { RunEvent, StepRef } from '../../src/execute/events.js';
import { createOutputResults } from '../../src/run/output-results.js';
import { runOnFake } from '../helpers/run-on-fake.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/evidence/text/${name}`, import.meta.url), 'utf8').split('\n');

const textPlan = (results: NonNullable<TestPlan['phases'][string]['results']>, retries = 0): TestPlan =>
  plan({
    phases: [phase('unit', { results, retries })],
    gates: { coverage: {}, phaseCoverage: {}, tests: { failed: 0 }, commands: {} },
  });

const run = async (p: TestPlan, behaviour: FakeBehaviour) => (await runOnFake(p, behaviour)).results;

t.test(
  "pytest -rA output read from the phase's own output counts every test, and the failures fail the run",
  async (t) => {
    const results = await run(textPlan({ format: 'text', text: { preset: 'pytest' } }), {
      logs: { unit: fixture('pytest-7.2.1/pytest-rA.txt') },
      exitCodes: { unit: [1] },
    });
    t.same(results.tests, { total: 10, passed: 6, failed: 2, errored: 0, skipped: 2 });
    t.equal(results.verdict, 'failed');
    t.match(
      results.phases[0]!.failures.map((f) => f.name),
      ['tests/test_ops.py::test_uses_broken_fixture', 'tests/test_ops.py::test_add_wrong'],
    );
  },
);

t.test('a per-file runner that dies between tests: a failure "stopped in <file>", never a pass', async (t) => {
  const results = await run(textPlan({ format: 'text', text: { preset: 'per-file' } }), {
    logs: { unit: fixture('per-file-runner/output-crash-only.txt') },
    exitCodes: { unit: [7] },
  });
  t.equal(results.verdict, 'failed');
  t.match(results.phases[0]!.failures, [
    { name: 'tests/b-db.mjs', message: /^stopped in tests\/b-db\.mjs: exited with code 7/ },
  ]);
});

t.test('only the last attempt counts on retry', async (t) => {
  const logs = { unit: ['tests/a.mjs', '  one ✔'] };
  const results = await run(textPlan({ format: 'text', text: { preset: 'per-file' } }, 1), {
    logs,
    exitCodes: { unit: [1, 0] },
  });
  t.same(results.tests, { total: 1, passed: 1, failed: 0, errored: 0, skipped: 0 });
  t.equal(results.verdict, 'passed');
});

t.test('output with no test line at all is zero tests, which is not a pass', async (t) => {
  const results = await run(textPlan({ format: 'text', text: { pass: '^ok (.+)', fail: '^not ok (.+)' } }), {
    logs: { unit: ['hello'] },
  });
  t.equal(results.phases[0]!.status, 'failed');
  t.match(results.phases[0]!.message, /zero tests/);
});

t.test('text results from a file the phase wrote', async (t) => {
  const output = fixture('cargo-1.95.0/cargo-output.txt').join('\n');
  const results = await run(textPlan({ format: 'text', text: { preset: 'cargo' }, path: '/out/cargo.txt' }), {
    files: { '/out/cargo.txt': output },
    exitCodes: { unit: [101] },
  });
  t.same(results.tests, { total: 4, passed: 2, failed: 1, errored: 0, skipped: 1 });
});

t.test(
  "a service or check with the phase's name never feeds the phase's results: lines are matched by step",
  async (t) => {
    const results = createOutputResults(textPlan({ format: 'text', text: { preset: 'pytest' } }));
    const line = (step: StepRef, text: string): RunEvent => ({
      kind: 'log',
      source: 'unit',
      step,
      line: text,
      stream: 'stdout',
    });
    results.onEvent(
      line({ kind: 'start-service', subject: 'unit' }, 'FAILED tests/test_svc.py::test_from_a_service - boom'),
    );
    results.onEvent(line({ kind: 'run-check', subject: 'unit' }, 'FAILED tests/test_chk.py::test_from_a_check - boom'));
    results.onEvent(line({ kind: 'run-phase', subject: 'unit', attempt: 1 }, 'PASSED tests/test_ok.py::test_ok'));
    results.onEvent({ kind: 'phase-attempt', phase: 'unit', attempt: 1, exitCode: 0, timedOut: false });
    const report = results.result('unit');
    t.ok(report?.ok, 'read');
    if (!report?.ok) return;
    t.same(report.value.counts, { total: 1, passed: 1, failed: 0, errored: 0, skipped: 0 });
  },
);
