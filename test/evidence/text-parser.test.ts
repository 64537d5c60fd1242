/**
 * Test results from runners' printed output (fixtures/evidence/text, made by the real tools), with
 * the totals the tools printed themselves; and the crash rule: a non-zero exit without a failing
 * line is a failure named after the last file seen.
 */
import t from 'tap';
import { parseTextResults, readTextResults } from '../../src/evidence/index.js';
import type { TestCounts } from '../../src/evidence/index.js';
import { fixturePath, fixtureText, unwrap } from './fixtures.js';

const counts = (total: number, passed: number, failed: number, skipped: number): TestCounts => ({
  total,
  passed,
  failed,
  errored: 0,
  skipped,
});

const cases: [string, 'mocha' | 'pytest' | 'go' | 'cargo' | 'per-file', number, TestCounts, string][] = [
  ['text/mocha-10.8.2/spec-output.txt', 'mocha', 2, counts(4, 1, 2, 1), 'mocha: 1 passing, 1 pending, 2 failing'],
  ['text/mocha-11.8.0/spec-output.txt', 'mocha', 2, counts(4, 1, 2, 1), 'mocha: 1 passing, 1 pending, 2 failing'],
  [
    'text/pytest-7.2.1/pytest-rA.txt',
    'pytest',
    1,
    counts(10, 6, 2, 2),
    'pytest: 1 failed, 6 passed, 1 skipped, 1 xfailed, 1 error',
  ],
  ['text/pytest-7.2.1/collection-error-rA.txt', 'pytest', 2, counts(1, 0, 1, 0), 'pytest: 1 error (during collection)'],
  [
    'text/cargo-1.95.0/cargo-output.txt',
    'cargo',
    101,
    counts(4, 2, 1, 1),
    'cargo: 1 passed; 1 failed; 1 ignored + 1 passed + 0 doc-tests',
  ],
  [
    'text/go-1.19.8/go-test-v.txt',
    'go',
    1,
    counts(7, 5, 1, 1),
    'go test -v: --- PASS ×5 (a parent and its 2 subtests count), --- FAIL ×1, --- SKIP ×1',
  ],
  [
    'text/go-1.19.8/go-test-v-crash.txt',
    'go',
    1,
    counts(2, 1, 1, 0),
    'go test -v: TestExits called os.Exit(3); FAIL without a --- FAIL line',
  ],
  ['text/per-file-runner/output.txt', 'per-file', 1, counts(4, 3, 1, 0), 'per-file runner: 3 ✔, 1 FAILED!'],
  [
    'text/per-file-runner/output-crash-only.txt',
    'per-file',
    7,
    counts(2, 1, 1, 0),
    'per-file runner: tests/b-db.mjs exited 7 after 1 ✔',
  ],
];

for (const [file, preset, exitCode, want, summary] of cases) {
  t.test(`${file} with preset ${preset} agrees with the tool (${summary})`, async (t) => {
    const r = unwrap(await readTextResults(fixturePath(file), { preset }, 'unit', { exitCode }));
    t.same(r.counts, want);
    t.equal(r.format, 'text');
  });
}

t.test('mocha: the failure summary after "N passing" is not counted again', async (t) => {
  const r = unwrap(parseTextResults(fixtureText('text/mocha-10.8.2/spec-output.txt'), { preset: 'mocha' }));
  t.same(
    [...r.cases].map((c) => `${c.status} ${c.name}`),
    ['failed "before all" hook for "inserts a row"', 'passed adds', 'failed subtracts', 'skipped divides'],
  );
});

t.test('a crash between tests: named after the last file seen, "the rest never ran"', async (t) => {
  const r = unwrap(
    parseTextResults(
      fixtureText('text/per-file-runner/output-crash-only.txt'),
      { preset: 'per-file' },
      { exitCode: 7 },
    ),
  );
  t.match(r.cases.at(-1), {
    name: 'tests/b-db.mjs',
    file: 'tests/b-db.mjs',
    status: 'failed',
    message: 'stopped in tests/b-db.mjs: exited with code 7 and no failing test line; the rest never ran',
  });
  t.match(r.cases.at(0), { suite: 'tests/b-db.mjs', name: 'connects', status: 'passed' });
  const go = unwrap(
    parseTextResults(fixtureText('text/go-1.19.8/go-test-v-crash.txt'), { preset: 'go' }, { exitCode: 1 }),
  );
  t.match(go.cases.at(-1)?.message, /^stopped in TestExits: exited with code 1/);
});

t.test('the same output with exit 0 adds nothing; without a file header the command is named', async (t) => {
  t.same(
    unwrap(parseTextResults('  connects ✔\n', { preset: 'per-file' }, { exitCode: 0 })).counts,
    counts(1, 1, 0, 0),
  );
  const r = unwrap(parseTextResults('booting…\n', { preset: 'per-file' }, { exitCode: 139 }));
  t.match(
    [...r.cases],
    [
      {
        name: 'exit code 139',
        status: 'failed',
        message: /^the command: exited with code 139 and no failing test line/,
      },
    ],
  );
});

t.test(
  'custom patterns: first capture group is the name, ANSI colours are ignored, a bad pattern is an error',
  async (t) => {
    const spec = { pass: '^OK (\\S+)', fail: '^NOT OK (\\S+)', skip: '^SKIP (\\S+)', file: '^== (\\S+)' };
    const r = unwrap(parseTextResults('== a.sh\n\x1b[32mOK one\x1b[0m\nNOT OK two\n== b.sh\nSKIP three\n', spec));
    t.same(
      [...r.cases].map((c) => [c.file, c.name, c.status]),
      [
        ['a.sh', 'one', 'passed'],
        ['a.sh', 'two', 'failed'],
        ['b.sh', 'three', 'skipped'],
      ],
    );
    const bad = parseTextResults('x\n', { pass: '(', fail: 'x' }, {}, { file: 'out.txt', phase: 'unit' });
    t.match(bad, {
      ok: false,
      error: { phase: 'unit', message: /results\.text\.pass is not a valid regular expression/ },
    });
  },
);

t.test('pytest SKIPPED [n] counts n tests', async (t) => {
  t.same(
    unwrap(parseTextResults('SKIPPED [3] tests/test_a.py:4: later\n', { preset: 'pytest' })).counts,
    counts(3, 0, 0, 3),
  );
});
