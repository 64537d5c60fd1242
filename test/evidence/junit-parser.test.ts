import t from 'tap';
import { parseTestReport } from '../../src/evidence/parsers.js';
import { fixtureText, unwrap } from './fixtures.js';

const junit = (name: string) => unwrap(parseTestReport(fixtureText(name), 'junit', { file: name, phase: 'unit' }));
const inline = (xml: string) => parseTestReport(xml, 'junit', { file: 'inline.xml', phase: 'unit' });

t.test('pytest (xunit1): failure, error from a fixture, skip and xfail, file attributes, seconds to ms', async (t) => {
  const r = junit('pytest/junit-xunit1.xml');
  t.same(r.counts, { total: 10, passed: 6, failed: 1, errored: 1, skipped: 2 });
  const byName = new Map(r.cases.map((c) => [c.name, c]));
  t.match(byName.get('test_add'), { suite: 'tests.test_ops', file: 'tests/test_ops.py', status: 'passed', durationMs: 2 });
  const failed = byName.get('test_add_wrong')!;
  t.equal(failed.status, 'failed');
  t.equal(failed.message, 'AssertionError: two and two');
  t.match(failed.details, /assert 4 == 5/);
  t.match(byName.get('test_uses_broken_fixture'), { status: 'error', message: /database fixture failed/ });
  t.match(byName.get('test_multiply'), { status: 'skipped', message: 'not implemented yet' });
  t.match(byName.get('test_known_bug'), { status: 'skipped', message: 'known bug' });
  t.equal(byName.get('test_upload_stores_name')!.suite, 'tests.test_upload.TestUpload');
  t.equal(byName.get('test_add')!.details, undefined, 'passing cases carry no details');
});

t.test("pytest's default family (xunit2) has no file attribute and the same counts", async (t) => {
  const r = junit('pytest/junit-xunit2.xml');
  t.same(r.counts, { total: 10, passed: 6, failed: 1, errored: 1, skipped: 2 });
  t.equal(r.cases[0]!.file, undefined);
});

t.test('Surefire: a <testsuite> root, error vs failure, system-out in the details of a failing case', async (t) => {
  const r = junit('surefire/TEST-demo.CalcTest.xml');
  t.same(r.counts, { total: 4, passed: 1, failed: 1, errored: 1, skipped: 1 });
  const byName = new Map(r.cases.map((c) => [c.name, c]));
  t.match(byName.get('addsWrongOnPurpose'), { suite: 'demo.CalcTest', status: 'failed', durationMs: 80, message: 'two and two ==> expected: <5> but was: <4>' });
  const errored = byName.get('dividesByZero')!;
  t.equal(errored.status, 'error');
  t.equal(errored.message, '/ by zero');
  t.match(errored.details, /dividing by zero/, 'system-out is kept for a case that did not pass');
  t.match(byName.get('multiplies'), { status: 'skipped', message: 'not ready' });
});

t.test('jest-junit: suite from <testsuite> when classname repeats the name; todo reads as a pass', async (t) => {
  const r = junit('jest/junit.xml');
  t.same(r.counts, { total: 7, passed: 4, failed: 2, errored: 0, skipped: 1 });
  t.match(r.cases[0], { suite: 'total', name: 'total sums prices', file: '__tests__/cart.test.js', status: 'passed', durationMs: 6 });
  t.match(r.cases.find((c) => c.name === 'total supports coupons'), { status: 'passed' });
  t.match(r.cases.find((c) => c.name === 'total rounds wrongly on purpose'), { status: 'failed', message: /toBe\(expected\)/ });
});

t.test('node --test junit: cases straight under <testsuites>, nested suites, a failing todo is skipped', async (t) => {
  const r = junit('node-test/junit.xml');
  t.same(r.counts, { total: 8, passed: 4, failed: 2, errored: 0, skipped: 2 });
  t.match(r.cases[0], { suite: '', name: 'adds two numbers', status: 'passed', durationMs: 2.388 });
  t.match(r.cases.find((c) => c.name === 'is wrong on purpose'), { suite: 'clamp', status: 'failed' });
  t.match(r.cases.find((c) => c.name === 'handles gigabytes'), { suite: 'parseSize', status: 'skipped', message: 'support g suffix' });
});

t.test('go-junit-report: one suite per package, a panic as error', async (t) => {
  const r = junit('go-junit-report/report.xml');
  t.same(r.counts, { total: 5, passed: 2, failed: 1, errored: 1, skipped: 1 });
  t.match(r.cases.find((c) => c.name === 'Failure'), { suite: 'example.com/shop/store', status: 'error', message: 'Runtime error' });
  t.match(r.cases.find((c) => c.name === 'TestDiscount'), { status: 'failed', details: /want 9/ });
});

t.test('nested testsuites join their names; file is inherited from the nearest suite', async (t) => {
  const r = unwrap(
    inline(`<testsuites><testsuite name="api" file="a.test.js"><testsuite name="upload">
      <testcase name="stores" time="1,234.5"/><testcase name="x" file="b.test.js"><failure>boom</failure></testcase>
    </testsuite><testcase name="top"/></testsuite></testsuites>`),
  );
  t.same(
    r.cases.map((c) => [c.suite, c.name, c.file, c.status, c.durationMs]),
    [
      ['api > upload', 'stores', 'a.test.js', 'passed', 1234500],
      ['api > upload', 'x', 'b.test.js', 'failed', 0],
      ['api', 'top', 'a.test.js', 'passed', 0],
    ],
  );
  t.equal(r.cases[1]!.message, 'boom', 'message falls back to the first line of the text');
});

t.test('counts come from the cases, not from the summary attributes', async (t) => {
  const r = unwrap(inline('<testsuite tests="40" failures="0"><testcase name="only"/></testsuite>'));
  t.same(r.counts, { total: 1, passed: 1, failed: 0, errored: 0, skipped: 0 });
});

t.test('an empty report parses to zero cases (the tests gate then refuses it)', async (t) => {
  t.same(unwrap(inline('<testsuites/>')).counts, { total: 0, passed: 0, failed: 0, errored: 0, skipped: 0 });
});

t.test('something no JUnit writer produces inside a testcase is an error case, never a pass', async (t) => {
  const r = unwrap(inline('<testsuites><testcase name="a"><failurx message="m"/></testcase><testcase name="b">failure text</testcase></testsuites>'));
  t.same(r.cases.map((c) => c.status), ['error', 'error']);
  t.match(r.cases[0]!.message, /unexpected <failurx>/);
});

t.test('malformed, truncated, empty and foreign XML are errors naming file and phase', async (t) => {
  for (const [xml, pattern] of [
    ['<testsuites><testcase name="a">', /not a valid JUnit XML file/],
    ['<testsuites><testcase name="a"/></testsuite>', /not a valid JUnit XML file/],
    ['', /empty/],
    ['   \n', /empty/],
    ['<html><body/></html>', /root element is <html>/],
    ['not xml at all', /not a valid JUnit XML file/],
  ] as const) {
    const r = inline(xml);
    t.equal(r.ok, false, JSON.stringify(xml));
    if (!r.ok) {
      t.match(r.error, { file: 'inline.xml', phase: 'unit', message: pattern });
    }
  }
});
