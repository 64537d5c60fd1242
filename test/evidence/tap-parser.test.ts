import t from 'tap';
import { parseTestReport } from '../../src/evidence/parsers.js';
import { fixtureText, unwrap } from './fixtures.js';

const tap = (text: string) => unwrap(parseTestReport(text, 'tap', { file: 'x.tap', phase: 'unit' }));
const rows = (text: string) => [...tap(text).cases].map((c) => [c.suite, c.name, c.status]);

t.test(
  'node-tap: nested subtests by indentation, leaves are cases, YAML blocks skipped, file from the runner',
  async (t) => {
    const r = tap(fixtureText('node-tap/node-tap.tap'));
    t.same(r.counts, { total: 8, passed: 4, failed: 2, errored: 0, skipped: 2 });
    t.same(
      [...r.cases].map((c) => [c.suite, c.name, c.status]),
      [
        ['test/math.test.js > add', 'adds small numbers', 'passed'],
        ['test/math.test.js > add', 'should be equal', 'passed'],
        ['test/math.test.js > clamp > inside range', 'should be equal', 'passed'],
        ['test/math.test.js > clamp > wrong on purpose', 'upper bound is kept', 'failed'],
        ['test/math.test.js > parseSize', 'should be equal', 'passed'],
        ['test/math.test.js > parseSize', 'megabytes later', 'skipped'],
        ['test/math.test.js > parseSize', 'gigabytes', 'skipped'],
        ['test/math.test.js > throws', 'not a size: oops', 'failed'],
      ],
    );
    t.ok([...r.cases].every((c) => c.file === 'test/math.test.js'));
    t.match(r.cases.at(3)!.details, /upper bound is kept/, 'the YAML diagnostics become the details');
  },
);

t.test('node --test TAP: describe blocks as subtests, duration_ms and error from YAML, SKIP and TODO', async (t) => {
  const r = tap(fixtureText('node-test/node-test.tap'));
  t.same(r.counts, { total: 8, passed: 4, failed: 2, errored: 0, skipped: 2 });
  t.match(r.cases.at(0), { suite: '', name: 'adds two numbers', status: 'passed', durationMs: 1.736005 });
  t.match(
    [...r.cases].find((c) => c.name === 'is wrong on purpose'),
    { suite: 'clamp', status: 'failed', message: 'Expected values to be strictly equal:' },
  );
  t.match(
    [...r.cases].find((c) => c.name === 'throws from a helper'),
    { message: "Expected property name or '}' in JSON at position 1" },
  );
  t.match(
    [...r.cases].find((c) => c.name === 'multiplies'),
    { status: 'skipped', message: 'SKIP not written yet' },
  );
  t.match(
    [...r.cases].find((c) => c.name === 'handles gigabytes'),
    { status: 'skipped', message: 'TODO support g suffix' },
  );
});

t.test('prove / Test::More: skip without description, failing TODO, a subtest with its own plan', async (t) => {
  const r = tap(fixtureText('prove/basic.tap'));
  t.same(r.counts, { total: 7, passed: 4, failed: 1, errored: 0, skipped: 2 });
  t.same(
    [...r.cases].map((c) => [c.suite, c.name, c.status]),
    [
      ['', 'addition works', 'passed'],
      ['', 'lowercase', 'passed'],
      ['', 'multiplication is wrong on purpose', 'failed'],
      ['', '#4', 'skipped'],
      ['', 'uppercases sharp s', 'skipped'],
      ['nested checks', 'inner one', 'passed'],
      ['nested checks', 'inner two', 'passed'],
    ],
  );
});

t.test('Bail out! is an error case and stops the stream', async (t) => {
  const r = tap(fixtureText('prove/bail.tap'));
  t.same(r.counts, { total: 2, passed: 1, failed: 0, errored: 1, skipped: 0 });
  t.match(r.cases.at(1), { name: 'Bail out!', status: 'error', message: 'Bail out! database went away' });
});

t.test('a plan that does not match the test points is an error (prove/short.tap: planned 5, ran 3)', async (t) => {
  const r = tap(fixtureText('prove/short.tap'));
  t.same(r.counts, { total: 4, passed: 3, failed: 0, errored: 1, skipped: 0 });
  t.match(r.cases.at(3), { status: 'error', message: 'planned 5 tests but saw 3' });
});

t.test('a missing plan is an error; a plan at the end is fine', async (t) => {
  t.same(rows('ok 1 - a\nok 2 - b\n'), [
    ['', 'a', 'passed'],
    ['', 'b', 'passed'],
    ['', 'TAP plan', 'error'],
  ]);
  t.same(rows('ok 1 - a\nok 2 - b\n1..2\n'), [
    ['', 'a', 'passed'],
    ['', 'b', 'passed'],
  ]);
  t.same(tap('1..0 # SKIP no tests on this platform\n').counts.total, 0);
});

t.test('a failing parent whose children all passed still fails', async (t) => {
  const text = ['# Subtest: group', '    ok 1 - child', '    1..1', 'not ok 1 - group', '1..1', ''].join('\n');
  t.same(rows(text), [
    ['group', 'child', 'passed'],
    ['', 'group', 'failed'],
  ]);
});

t.test('a subtest cut short (no closing point, no plan) is an error', async (t) => {
  const r = tap(['TAP version 14', '1..1', '# Subtest: group', '    ok 1 - child', ''].join('\n'));
  t.ok(r.counts.errored >= 1);
  t.ok([...r.cases].some((c) => /never ended/.test(c.message ?? '')));
});

t.test('escaped # in a description, directives are case-insensitive, time= directive', async (t) => {
  const r = tap('1..3\nok 1 - issue \\#12 fixed\nok 2 - later # skipped: not now\nok 3 - timed # time=12.5ms\n');
  t.same(
    [...r.cases].map((c) => [c.name, c.status, c.durationMs]),
    [
      ['issue #12 fixed', 'passed', 0],
      ['later', 'skipped', 0],
      ['timed', 'passed', 12.5],
    ],
  );
});

t.test('test points inside a YAML block or program output are not counted', async (t) => {
  const text = [
    '1..1',
    'not ok 1 - a',
    '  ---',
    '  source: |',
    '    ok 2 - not a real point',
    '  ...',
    'console: ok 3 - neither',
    '  ok 4 - odd indentation',
    '',
  ].join('\n');
  t.same(rows(text), [['', 'a', 'failed']]);
});

t.test('out-of-sequence numbers and a "not" cut from its point are errors', async (t) => {
  t.ok(tap('1..2\nok 1 - a\nok 3 - b\n').counts.errored >= 1);
  const split = tap('1..2\nok 1 - a\nnot\nok 2 - b\n');
  t.ok(split.counts.errored >= 1);
  t.equal(
    [...split.cases].find((c) => c.name === 'b')!.status,
    'failed',
    'the point after a bare "not" is the failing point it was cut from',
  );
});

t.test('text with no TAP in it, and empty text, are errors', async (t) => {
  for (const text of ['hello world\nnothing here\n', '', '\n\n']) {
    const r = parseTestReport(text, 'tap', { file: 'x.tap', phase: 'e2e' });
    t.equal(r.ok, false);
    if (!r.ok) t.match(r.error, { file: 'x.tap', phase: 'e2e' });
  }
});

t.test('CRLF line endings parse like LF', async (t) => {
  t.same(rows('1..2\r\nok 1 - a\r\nnot ok 2 - b\r\n'), [
    ['', 'a', 'passed'],
    ['', 'b', 'failed'],
  ]);
});
