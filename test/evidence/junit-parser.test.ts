import t from 'tap';
import { parseTestReport } from '../../src/evidence/parsers.js';
import { fixtureText, unwrap } from './fixtures.js';

const junit = (name: string) => unwrap(parseTestReport(fixtureText(name), 'junit', { file: name, phase: 'unit' }));
const inline = (xml: string) => parseTestReport(xml, 'junit', { file: 'inline.xml', phase: 'unit' });

t.test('pytest (xunit1): failure, error from a fixture, skip and xfail, file attributes, seconds to ms', async (t) => {
  const r = junit('pytest/junit-xunit1.xml');
  t.same(r.counts, { total: 10, passed: 6, failed: 1, errored: 1, skipped: 2 });
  const byName = new Map([...r.cases].map((c) => [c.name, c]));
  t.match(byName.get('test_add'), {
    suite: 'tests.test_ops',
    file: 'tests/test_ops.py',
    status: 'passed',
    durationMs: 2,
  });
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
  t.equal(r.cases.at(0)!.file, undefined);
});

t.test('Surefire: a <testsuite> root, error vs failure, system-out in the details of a failing case', async (t) => {
  const r = junit('surefire/TEST-demo.CalcTest.xml');
  t.same(r.counts, { total: 4, passed: 1, failed: 1, errored: 1, skipped: 1 });
  const byName = new Map([...r.cases].map((c) => [c.name, c]));
  t.match(byName.get('addsWrongOnPurpose'), {
    suite: 'demo.CalcTest',
    status: 'failed',
    durationMs: 80,
    message: 'two and two ==> expected: <5> but was: <4>',
  });
  const errored = byName.get('dividesByZero')!;
  t.equal(errored.status, 'error');
  t.equal(errored.message, '/ by zero');
  t.match(errored.details, /dividing by zero/, 'system-out is kept for a case that did not pass');
  t.match(byName.get('multiplies'), { status: 'skipped', message: 'not ready' });
});

t.test('jest-junit: suite from <testsuite> when classname repeats the name; todo reads as a pass', async (t) => {
  const r = junit('jest/junit.xml');
  t.same(r.counts, { total: 7, passed: 4, failed: 2, errored: 0, skipped: 1 });
  t.match(r.cases.at(0), {
    suite: 'total',
    name: 'total sums prices',
    file: '__tests__/cart.test.js',
    status: 'passed',
    durationMs: 6,
  });
  t.match(
    [...r.cases].find((c) => c.name === 'total supports coupons'),
    { status: 'passed' },
  );
  t.match(
    [...r.cases].find((c) => c.name === 'total rounds wrongly on purpose'),
    { status: 'failed', message: /toBe\(expected\)/ },
  );
});

t.test('node --test junit: cases straight under <testsuites>, nested suites, a failing todo is skipped', async (t) => {
  const r = junit('node-test/junit.xml');
  t.same(r.counts, { total: 8, passed: 4, failed: 2, errored: 0, skipped: 2 });
  t.match(r.cases.at(0), { suite: '', name: 'adds two numbers', status: 'passed', durationMs: 2.388 });
  t.match(
    [...r.cases].find((c) => c.name === 'is wrong on purpose'),
    { suite: 'clamp', status: 'failed' },
  );
  t.match(
    [...r.cases].find((c) => c.name === 'handles gigabytes'),
    { suite: 'parseSize', status: 'skipped', message: 'support g suffix' },
  );
});

t.test('go-junit-report: one suite per package, a panic as error', async (t) => {
  const r = junit('go-junit-report/report.xml');
  t.same(r.counts, { total: 5, passed: 2, failed: 1, errored: 1, skipped: 1 });
  t.match(
    [...r.cases].find((c) => c.name === 'Failure'),
    { suite: 'example.com/shop/store', status: 'error', message: 'Runtime error' },
  );
  t.match(
    [...r.cases].find((c) => c.name === 'TestDiscount'),
    { status: 'failed', details: /want 9/ },
  );
});

t.test('nested testsuites join their names; file is inherited from the nearest suite', async (t) => {
  const r = unwrap(
    inline(`<testsuites><testsuite name="api" file="a.test.js"><testsuite name="upload">
      <testcase name="stores" time="1,234.5"/><testcase name="x" file="b.test.js"><failure>boom</failure></testcase>
    </testsuite><testcase name="top"/></testsuite></testsuites>`),
  );
  t.same(
    [...r.cases].map((c) => [c.suite, c.name, c.file, c.status, c.durationMs]),
    [
      ['api > upload', 'stores', 'a.test.js', 'passed', 1234500],
      ['api > upload', 'x', 'b.test.js', 'failed', 0],
      ['api', 'top', 'a.test.js', 'passed', 0],
    ],
  );
  t.equal(r.cases.at(1)!.message, 'boom', 'message falls back to the first line of the text');
});

t.test('counts come from the cases; summary attributes that claim more than the file holds are an error', async (t) => {
  const fewer = inline('<testsuite tests="40" failures="0"><testcase name="only"/></testsuite>');
  t.match(fewer, {
    ok: false,
    error: { message: /the <testsuite> element declares 40 tests but holds 1: the report is damaged or was cut short/ },
  });
  const hidden = inline(
    '<testsuites><testsuite name="api" tests="2" failures="1" skipped="0"><testcase name="a"/><testcase name="b"/></testsuite></testsuites>',
  );
  t.match(hidden, {
    ok: false,
    error: { message: /suite "api" declares 1 failure\/errors but holds 0 failing test cases/ },
  });
  const r = unwrap(inline('<testsuite tests="1" failures="0"><testcase name="only"/></testsuite>'));
  t.same(r.counts, { total: 1, passed: 1, failed: 0, errored: 0, skipped: 0 });
  t.equal(r.warnings, undefined);
});

t.test('an empty report parses to zero cases (the tests gate then refuses it)', async (t) => {
  t.same(unwrap(inline('<testsuites/>')).counts, { total: 0, passed: 0, failed: 0, errored: 0, skipped: 0 });
});

t.test('something no JUnit writer produces inside a testcase is an error case, never a pass', async (t) => {
  const r = unwrap(
    inline(
      '<testsuites><testcase name="a"><failurx message="m"/></testcase><testcase name="b">failure text</testcase></testsuites>',
    ),
  );
  t.same(
    [...r.cases].map((c) => c.status),
    ['error', 'error'],
  );
  t.match(r.cases.at(0)!.message, /unexpected <failurx>/);
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

t.test('pytest collection error: the unimportable module is a failing case, so the tests gate goes red', async (t) => {
  const r = junit('pytest/junit-collection-error.xml');
  t.same(r.counts, { total: 1, passed: 0, failed: 0, errored: 1, skipped: 0 });
  t.match(r.cases.at(0), {
    name: 'tests.test_broken',
    status: 'error',
    message: 'collection failure',
    details: /No module named 'not_a_real_module'/,
  });
});

for (const version of ['10.8.2', '11.8.0']) {
  t.test(
    `mocha ${version} xunit: a failing "before all" hook is a failure; its header leaves hooks out of tests=`,
    async (t) => {
      const r = junit(`mocha/${version}/xunit.xml`);
      t.same(r.counts, { total: 4, passed: 1, failed: 2, errored: 0, skipped: 1 });
      t.match(r.cases.at(0), {
        suite: 'database',
        name: '"before all" hook for "inserts a row"',
        status: 'failed',
        message: /ECONNREFUSED/,
      });
      t.equal(r.warnings, undefined, 'more cases than tests= without duplicates is what mocha writes, not damage');
    },
  );

  t.test(
    `mocha ${version} + mocha-junit-reporter: the hook case fails; pending tests are left out of the file`,
    async (t) => {
      const r = junit(`mocha/${version}/junit.xml`);
      t.same(r.counts, { total: 3, passed: 1, failed: 2, errored: 0, skipped: 0 });
      t.match(
        [...r.cases].find((c) => /before all/.test(c.name)),
        { status: 'failed', message: 'connect ECONNREFUSED 127.0.0.1:5432' },
      );
    },
  );
}

t.test('Surefire: a failing @BeforeAll is a case with an empty name and an error', async (t) => {
  const r = junit('surefire/TEST-demo.BeforeAllTest.xml');
  t.same(r.counts, { total: 1, passed: 0, failed: 0, errored: 1, skipped: 0 });
  t.match(r.cases.at(0), {
    suite: 'demo.BeforeAllTest',
    status: 'error',
    message: 'connect ECONNREFUSED 127.0.0.1:5432',
  });
});

t.test("node's junit reporter escapes quotes twice: names and messages read as the test wrote them", async (t) => {
  const r = junit('node-test/quotes-junit.xml');
  t.same(
    [...r.cases].map((c) => c.name),
    ['says "hello" & <bye>', "it's 'quoted'"],
  );
  t.match(r.cases.at(1)!.message, `'"a"' !== "'a'"`);
});

t.test('a <failure> or <error> straight inside a <testsuite> is a failing case named after the suite', async (t) => {
  const r = unwrap(
    inline(
      '<testsuites><testsuite name="pkg" tests="1" failures="0" errors="1"><testsuite name="db" tests="0" errors="1"><error message="fork crashed">VM terminated</error></testsuite><testcase name="ok" classname="pkg"/></testsuite></testsuites>',
    ),
  );
  t.same(r.counts, { total: 2, passed: 1, failed: 0, errored: 1, skipped: 0 });
  t.match(r.cases.at(0), {
    suite: 'pkg',
    name: 'db',
    status: 'error',
    message: 'fork crashed',
    details: 'VM terminated',
  });
  const failure = unwrap(inline('<testsuite name="only"><failure message="before all hook">x</failure></testsuite>'));
  t.match([...failure.cases], [{ name: 'only', status: 'failed', message: 'before all hook' }]);
});

t.test('exact duplicates beyond the declared count collapse with a warning; different cases are kept', async (t) => {
  const dup = '<testcase classname="a" name="x" time="0.1"/>';
  const r = unwrap(
    inline(
      `<testsuite name="s" tests="2" failures="0" skipped="0">${dup}${dup}<testcase classname="a" name="y"/></testsuite>`,
    ),
  );
  t.same(
    [...r.cases].map((c) => c.name),
    ['x', 'y'],
  );
  t.match(r.warnings, [/suite "s": 1 duplicate test case collapsed \(the file holds 3 where its header says 2/]);
  const repeated = unwrap(inline(`<testsuite name="s" tests="2">${dup}${dup}</testsuite>`));
  t.equal(repeated.cases.length, 2, 'two same-named cases the header counts are two tests');
  t.equal(repeated.warnings, undefined);
  const failedTwice = unwrap(
    inline(
      `<testsuite name="s" tests="1" failures="1">${dup}<testcase classname="a" name="x"><failure message="m"/></testcase></testsuite>`,
    ),
  );
  t.same(
    failedTwice.counts,
    { total: 2, passed: 1, failed: 1, errored: 0, skipped: 0 },
    'a pass and a failure of one name are not duplicates',
  );
});

t.test('duplicates collapse inside a large suite after other suites, failures keep their text', async (t) => {
  const first = Array.from({ length: 700 }, (_, i) => `<testcase classname="p" name="p${i}"/>`).join('');
  const body = Array.from({ length: 1_500 }, (_, i) => `<testcase classname="b" name="b${i}"/>`).join('');
  const failing = '<testcase classname="b" name="bad"><failure message="boom">trace</failure></testcase>';
  const dup = '<testcase classname="b" name="b3"/>';
  const xml = `<testsuites><testsuite name="p" tests="700">${first}</testsuite><testsuite name="b" tests="1501" failures="1">${body}${dup}${failing}${dup}</testsuite></testsuites>`;
  const r = unwrap(inline(xml));
  t.same(r.counts, { total: 2_201, passed: 2_200, failed: 1, errored: 0, skipped: 0 });
  t.match(r.warnings, [/suite "b": 2 duplicate test cases collapsed/]);
  const names = [...r.cases].map((c) => c.name);
  t.same(names.slice(698, 702), ['p698', 'p699', 'b0', 'b1']);
  t.same(names.slice(-2), ['b1499', 'bad']);
  t.match(r.cases.at(-1), { suite: 'b', status: 'failed', message: 'boom', details: 'trace' });
});

t.test('a declared total that is not a number is damage', async (t) => {
  t.match(inline('<testsuite name="s" tests="many"><testcase name="a"/></testsuite>'), {
    ok: false,
    error: { message: /suite "s" has tests="many", not a whole number/ },
  });
});

t.test('past 10,000 failing cases with text, later failures keep their status, not their text', async (t) => {
  const failing = Array.from(
    { length: 10_005 },
    (_, i) => `<testcase classname="c" name="f${i}"><failure message="boom ${i}">trace</failure></testcase>`,
  ).join('');
  const r = unwrap(inline(`<testsuites>${failing}</testsuites>`));
  t.equal(r.counts.failed, 10_005);
  t.match(r.cases.at(9_999), { name: 'f9999', status: 'failed', message: 'boom 9999', details: 'trace' });
  t.same(r.cases.at(10_000), { suite: 'c', name: 'f10000', status: 'failed', durationMs: 0 });
  t.match(r.warnings, [
    /messages and details of 5 failing cases were not kept: a report keeps the text of at most 10000 failing cases/,
  ]);
});
