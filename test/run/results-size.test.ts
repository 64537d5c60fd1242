import t from 'tap';
import type { TestPlan } from '../../src/dsl/plan.js';
import { renderJunit } from '../../src/report/junit/render-junit.js';
import { renderMarkdown } from '../../src/report/markdown/render-markdown.js';
import { serializeResults } from '../../src/report/write-reports.js';
import { MAX_LISTED_FAILURES, MAX_LISTED_TESTS } from '../../src/run/build-results.js';
import { phase, plan } from '../helpers/plan-builder.js';
import { runOnFake } from '../helpers/run-on-fake.js';

/** A JUnit file with `passing` passing cases (with output) and `failing` failing ones. */
function junit(passing: number, failing: number): string {
  const cases: string[] = [];
  for (let i = 0; i < passing; i++)
    cases.push(
      `<testcase classname="s${i % 7}" name="test_ok_${i}" time="0"><system-out>out ${i}</system-out></testcase>`,
    );
  for (let i = 0; i < failing; i++)
    cases.push(
      `<testcase classname="s" name="test_bad_${i}" time="0"><failure message="boom ${i}">trace ${i}</failure></testcase>`,
    );
  cases.push('<testcase classname="s" name="test_upload_special" time="0"/>');
  return `<?xml version="1.0"?><testsuites><testsuite name="unit" tests="${cases.length}">${cases.join('')}</testsuite></testsuites>`;
}

const bigPlan = (): TestPlan =>
  plan({
    phases: [phase('unit', { results: { format: 'junit', path: '/out/junit.xml' } })],
    acceptance: [{ id: 'FR-1', requirement: 'upload', kind: 'functional', verifiedBy: { tests: /upload_special/ } }],
  });

const run = async (files: Record<string, string>) => (await runOnFake(bigPlan(), { files })).results;

t.test('a small phase lists every case; passing ones without their output', async (t) => {
  const results = await run({ '/out/junit.xml': junit(3, 1) });
  const unit = results.phases[0]!;
  t.equal(unit.tests.length, 5);
  t.equal(unit.unlisted, undefined);
  t.notOk(
    unit.tests.some((c) => c.status === 'passed' && c.details !== undefined),
    'passing output is not stored',
  );
  t.equal(unit.failures[0]!.details, 'trace 0');
});

t.test('a phase over the limit lists its failures and counts the rest; criteria still see every case', async (t) => {
  const passing = MAX_LISTED_TESTS + 5;
  const results = await run({ '/out/junit.xml': junit(passing, 2) });
  const unit = results.phases[0]!;
  t.same(
    unit.tests.map((c) => c.name),
    ['test_bad_0', 'test_bad_1'],
  );
  t.same(unit.unlisted, { total: passing + 1, passed: passing + 1, failed: 0, errored: 0, skipped: 0 });
  t.same(results.tests, { total: passing + 3, passed: passing + 1, failed: 2, errored: 0, skipped: 0 });
  t.equal(results.acceptance[0]!.status, 'pass', 'the regex criterion matched a passing case that is not listed');
  t.equal(results.verdict, 'failed');
  t.ok(serializeResults(results).length < 20_000, 'results.json holds no passing case');
  t.match(renderMarkdown(results), `${passing + 1} passing, 0 skipped tests are listed as counts only`);
  t.match(
    renderJunit(results),
    `${passing + 1} more tests of phase unit (${passing + 1} passed, 0 failed, 0 skipped) are counted, not listed`,
  );
});

t.test('more failures than the limit: the first are listed with detail, the rest counted and said so', async (t) => {
  const results = await run({ '/out/junit.xml': junit(0, MAX_LISTED_FAILURES + 3) });
  const unit = results.phases[0]!;
  t.equal(unit.failures.length, MAX_LISTED_FAILURES);
  t.equal(unit.unlisted?.failed, 3);
  t.match(renderMarkdown(results), '… and 3 more failing tests, counted but not listed');
});

t.test('a listed case keeps at most MAX_CASE_TEXT characters of its name and message', async (t) => {
  const { MAX_CASE_TEXT } = await import('../../src/run/build-results.js');
  const long = 'n'.repeat(MAX_CASE_TEXT * 3);
  const xml = `<?xml version="1.0"?><testsuites><testsuite name="unit" tests="1"><testcase classname="s" name="${long}" time="0"><failure message="${long}">x</failure></testcase></testsuite></testsuites>`;
  const results = await run({ '/out/junit.xml': xml });
  const failure = results.phases[0]!.failures[0]!;
  t.equal(failure.name.length, MAX_CASE_TEXT + '… (cut)'.length);
  t.ok((failure.message ?? '').length <= MAX_CASE_TEXT + 10);
});
