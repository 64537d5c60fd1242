/**
 * Hostile evidence files (issue 9): each one either parses to what it honestly says (a red case when
 * it says something failed) or is an error naming what is wrong. None crashes, none passes by default.
 */
import t, { type Test } from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCoverage, parseTestReport, readCoverage, readTestReport } from '../../src/evidence/index.js';
import type { EvidenceResult } from '../../src/evidence/index.js';
import { tempDir } from '../helpers/temp-dir.js';

const SOURCE = { file: '/out/evidence', phase: 'unit' };
const junit = (text: string) => parseTestReport(text, 'junit', SOURCE);
const tap = (text: string) => parseTestReport(text, 'tap', SOURCE);
const lcov = (text: string) => parseCoverage(text, 'lcov', SOURCE);
const cobertura = (text: string) => parseCoverage(text, 'cobertura', SOURCE);

const dir = tempDir('hostile-evidence');
function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

function errorOf<T>(t: Test, result: EvidenceResult<T>, words: RegExp): void {
  t.equal(result.ok, false, 'an error, never evidence');
  if (!result.ok) {
    t.match(result.error.message, words);
    t.equal(result.error.phase, 'unit', 'the message names the phase');
    t.ok(result.error.message.length < 600, `a short message (${result.error.message.length} chars)`);
  }
}

function value<T>(result: EvidenceResult<T>): T {
  if (!result.ok) throw new Error(`expected evidence, got: ${result.error.message}`);
  return result.value;
}

const CASE = (name: string, inner = '') => `<testcase classname="c" name="${name}" time="0.1">${inner}</testcase>`;

t.test('JUnit cut in the middle of an element', async (t) => {
  errorOf(t, junit(`<testsuites><testsuite name="s">${CASE('a')}<testcase name="b`), /not a valid JUnit XML file/);
});

t.test('JUnit cut after a complete case (root never closed)', async (t) => {
  errorOf(t, junit(`<testsuites><testsuite name="s">${CASE('a')}`), /not a valid JUnit XML file: .*unclosed/i);
});

t.test('JUnit whose header declares failures that its cases do not show', async (t) => {
  errorOf(
    t,
    junit(`<testsuite name="s" tests="2" failures="2">${CASE('a')}${CASE('b')}</testsuite>`),
    /suite "s" declares 2 failures\/errors but holds 0 failing test cases: the report is damaged or was cut short/,
  );
});

t.test('JUnit whose header declares errors that its cases do not show', async (t) => {
  errorOf(
    t,
    junit(`<testsuites><testsuite name="s" errors="1">${CASE('a')}</testsuite></testsuites>`),
    /declares 1 failure\/errors but holds 0/,
  );
});

t.test('JUnit declaring 50 tests and holding 3', async (t) => {
  errorOf(
    t,
    junit(`<testsuite name="s" tests="50" failures="0" skipped="0">${CASE('a')}${CASE('b')}${CASE('c')}</testsuite>`),
    /declares 50 tests \(0 skipped\) but holds 3 that ran/,
  );
});

t.test('JUnit root totals (testsuites) claiming more than the suites hold', async (t) => {
  errorOf(
    t,
    junit(`<testsuites tests="10" failures="0"><testsuite name="s">${CASE('a')}</testsuite></testsuites>`),
    /the <testsuites> element declares 10 tests/,
  );
});

t.test('JUnit with a total that is not a number', async (t) => {
  errorOf(
    t,
    junit(`<testsuite name="s" failures="-1">${CASE('a')}</testsuite>`),
    /suite "s" has failures="-1", not a whole number/,
  );
});

t.test('JUnit with a billion-laughs entity bomb', async (t) => {
  const bomb =
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
    '<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]><testsuites><testcase name="&lol2;"/></testsuites>';
  errorOf(t, junit(bomb), /declares its own entities in a DOCTYPE.*refused/);
});

t.test('JUnit with an external entity (XXE) never reads the file', async (t) => {
  const xxe =
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><testsuites><testcase name="&xxe;"/></testsuites>';
  const result = junit(xxe);
  errorOf(t, result, /DOCTYPE/);
  t.notMatch(JSON.stringify(result), /root:/);
});

t.test('JUnit using an entity nobody declared', async (t) => {
  errorOf(
    t,
    junit('<testsuites><testcase name="&nope;"/></testsuites>'),
    /not a valid JUnit XML file: undefined entity/,
  );
});

t.test('binary junk as JUnit', async (t) => {
  errorOf(
    t,
    await readTestReport(file('junk.xml', Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe, 0x7f, 0x3c])), 'junit', 'unit'),
    /not a valid JUnit XML file/,
  );
});

t.test('NUL bytes inside a JUnit tag', async (t) => {
  errorOf(t, junit('<testsuites><testcase name="a"\u0000/></testsuites>'), /disallowed character/);
});

t.test('an empty results file', async (t) => {
  errorOf(
    t,
    await readTestReport(file('empty.xml', ''), 'junit', 'unit'),
    /the JUnit XML file is empty: the tool wrote nothing/,
  );
});

t.test('a results file of blank lines only', async (t) => {
  errorOf(t, await readTestReport(file('blank.tap', '\n\n   \n'), 'tap', 'unit'), /the TAP file is empty/);
});

t.test('a UTF-8 byte-order mark before JUnit, TAP and lcov is accepted', async (t) => {
  const bom = '\uFEFF';
  t.same(
    value(
      await readTestReport(
        file('bom.xml', `${bom}<?xml version="1.0"?><testsuites>${CASE('a')}</testsuites>`),
        'junit',
      ),
    ).counts.passed,
    1,
  );
  t.same(
    value(await readTestReport(file('bom.tap', `${bom}TAP version 13\n1..1\nok 1 - a\n`), 'tap')).counts.passed,
    1,
  );
  t.same(
    value(await readCoverage(file('bom.lcov', `${bom}TN:\nSF:a.js\nDA:1,1\nLF:1\nLH:1\nend_of_record\n`), 'lcov')).files
      .length,
    1,
  );
});

t.test('lcov handed over as JUnit (wrong format)', async (t) => {
  errorOf(
    t,
    junit('TN:\nSF:/app/a.js\nDA:1,1\nend_of_record\n'),
    /not a valid JUnit XML file: text data outside of root node/,
  );
});

t.test('an HTML page handed over as JUnit', async (t) => {
  errorOf(
    t,
    junit('<html><body>502 Bad Gateway</body></html>'),
    /the root element is <html>, expected <testsuites> or <testsuite>/,
  );
});

t.test('JSON handed over as lcov', async (t) => {
  errorOf(t, lcov('{"total": {"lines": {"pct": 100}}}'), /not a valid lcov file: line 1: not an lcov line/);
});

t.test('a 50 MB test name is kept short, and the case still counts', async (t) => {
  const r = value(
    junit(`<testsuites><testsuite name="s" tests="1">${CASE('n'.repeat(50 * 1024 * 1024))}</testsuite></testsuites>`),
  );
  t.equal(r.counts.passed, 1);
  t.ok(r.cases.at(0)!.name.length < 8_192, `name kept at ${r.cases.at(0)!.name.length} chars`);
  t.match(r.cases.at(0)!.name, /characters cut/);
});

t.test('a 20 MB failure message is capped, the case stays failed', async (t) => {
  const r = value(
    junit(
      `<testsuites>${CASE('a', `<failure message="${'m'.repeat(20 * 1024 * 1024)}">${'d'.repeat(1024 * 1024)}</failure>`)}</testsuites>`,
    ),
  );
  t.equal(r.counts.failed, 1);
  t.ok(r.cases.at(0)!.message!.length <= 4_200, 'message capped');
  t.ok(r.cases.at(0)!.details!.length <= 8_300, 'details capped');
  t.match(r.cases.at(0)!.details, /characters cut/);
});

t.test('failure text is bounded for the whole report, failures still count', async (t) => {
  const failing = CASE('f', `<failure message="boom">${'x'.repeat(8_000)}</failure>`);
  const r = value(junit(`<testsuites>${failing.repeat(2_000)}</testsuites>`));
  t.equal(r.counts.failed, 2_000);
  t.match(r.warnings, [/messages and details of \d+ failing cases were not kept/]);
});

t.test('a huge nested element inside a test case is damage, not a crash', async (t) => {
  const r = value(
    junit(
      `<testsuites><testcase name="a"><x>${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}</x></testcase></testsuites>`,
    ),
  );
  t.same(r.counts.errored, 1);
  t.match(r.cases.at(0)!.message, /unexpected <x> inside <testcase>/);
});

t.test('duplicate test cases beyond the header collapse, with a warning', async (t) => {
  const r = value(
    junit(`<testsuite name="api" tests="2" failures="0" skipped="0">${CASE('a')}${CASE('b')}${CASE('a')}</testsuite>`),
  );
  t.same(r.counts.total, 2);
  t.match(r.warnings, [/suite "api": 1 duplicate test case collapsed/]);
});

t.test('duplicates that hide a failure are not collapsed away', async (t) => {
  const r = value(
    junit(`<testsuite name="api" tests="1">${CASE('a')}${CASE('a', '<failure message="x"/>')}</testsuite>`),
  );
  t.same(r.counts.failed, 1);
});

t.test('a suite-level <error> (a crashed fork) with no test cases is a failure', async (t) => {
  const r = value(
    junit(
      '<testsuite name="demo.CrashTest" tests="0" errors="1"><error message="The forked VM terminated">boom</error></testsuite>',
    ),
  );
  t.same(r.counts, { total: 1, passed: 0, failed: 0, errored: 1, skipped: 0 });
  t.match(r.cases.at(0), { name: 'demo.CrashTest', message: 'The forked VM terminated' });
});

t.test('lcov with one enormous line', async (t) => {
  errorOf(
    t,
    lcov(`TN:\nSF:a.js\nDA:1,${'9x'.repeat(1024 * 1024)}\nend_of_record\n`),
    /not a valid lcov file: line 3: DA hit count is not a whole number/,
  );
});

t.test('lcov whose LH claims more covered lines than its DA lines show', async (t) => {
  errorOf(
    t,
    lcov('TN:\nSF:a.js\nDA:1,1\nDA:2,0\nLF:2\nLH:2\nend_of_record\n'),
    /says LH:2 but its detail lines give 1: the file is damaged/,
  );
});

t.test('lcov cut short (no end_of_record)', async (t) => {
  errorOf(t, lcov('TN:\nSF:a.js\nDA:1,1\nDA:2,'), /has no end_of_record: the file was cut short|DA hit count/);
});

t.test(
  "lcov with c8's identical FN records (decorated members on one line) is accepted with the tool's totals",
  async (t) => {
    const r = value(
      lcov(
        'TN:\nSF:a.ts\nFN:6,get\nFN:6,get\nFN:6,dec\nFNF:3\nFNH:1\nFNDA:0,get\nFNDA:0,get\nFNDA:2,dec\nDA:6,1\nLF:1\nLH:1\nend_of_record\n',
      ),
    );
    t.same(Object.keys(r.files[0]!.functions).length, 3);
  },
);

t.test('Cobertura whose root claims more covered lines than it lists', async (t) => {
  errorOf(
    t,
    cobertura(
      '<coverage lines-valid="2" lines-covered="2"><packages><package><classes><class filename="a.py"><lines><line number="1" hits="1"/><line number="2" hits="0"/></lines></class></classes></package></packages></coverage>',
    ),
    /lines-covered|damaged/,
  );
});

t.test('Cobertura cut short', async (t) => {
  errorOf(
    t,
    cobertura(
      '<coverage lines-valid="2"><packages><package><classes><class filename="a.py"><lines><line number="1" hits="1"/>',
    ),
    /not a valid Cobertura XML file/,
  );
});

t.test('TAP whose plan promises more tests than ran', async (t) => {
  const r = value(tap('TAP version 13\n1..5\nok 1 - a\nok 2 - b\n'));
  t.ok(r.counts.errored >= 1, 'the missing tests are an error case');
  t.match([...r.cases].find((c) => c.status === 'error')?.message, /plan|5/);
});

t.test('TAP cut in the middle of a line', async (t) => {
  const r = value(tap('TAP version 13\n1..2\nok 1 - a\nnot ok 2 - b'));
  t.ok(r.counts.failed + r.counts.errored >= 1);
});

t.test('istanbul coverage-final.json that is not JSON', async (t) => {
  errorOf(
    t,
    parseCoverage('{"a.js": {"path": "a.js", "s": {', 'istanbul-final', SOURCE),
    /not a valid istanbul coverage-final.json file/,
  );
});

t.test('istanbul coverage-summary.json whose pct disagrees with its counts', async (t) => {
  const summary = {
    total: {},
    'a.js': {
      lines: { total: 10, covered: 1, skipped: 0, pct: 100 },
      statements: { total: 10, covered: 1, skipped: 0, pct: 10 },
      functions: { total: 1, covered: 1, skipped: 0, pct: 100 },
      branches: { total: 0, covered: 0, skipped: 0, pct: 100 },
    },
  };
  errorOf(
    t,
    parseCoverage(JSON.stringify(summary), 'istanbul-summary', SOURCE),
    /not a valid istanbul coverage-summary.json file/,
  );
});

t.test('a folder where the results file should be', async (t) => {
  errorOf(t, await readTestReport(dir, 'junit', 'unit'), /this is a folder, not a JUnit XML file/);
});

t.test('a results file that does not exist', async (t) => {
  errorOf(
    t,
    await readTestReport(join(dir, 'never-written.xml'), 'junit', 'unit'),
    /was not written: check that the phase's command writes it/,
  );
});

t.test('a TAP test point with a 1 MB name is kept short', async (t) => {
  const r = value(tap(`TAP version 13\n1..1\nnot ok 1 - ${'n'.repeat(1024 * 1024)}\n`));
  t.equal(r.counts.failed, 1);
  t.ok(r.cases.at(0)!.name.length < 8_192, `name kept at ${r.cases.at(0)!.name.length} chars`);
});

t.test('text results: a runner that crashed with no failing line is a failure, not zero tests passing', async (t) => {
  const { parseTextResults } = await import('../../src/evidence/index.js');
  const r = value(
    parseTextResults('tests/a.mjs\n  one ✔\ntests/b.mjs\n', { preset: 'per-file' }, { exitCode: 134 }, SOURCE),
  );
  t.same(r.counts, { total: 2, passed: 1, failed: 1, errored: 0, skipped: 0 });
  t.match(r.cases.at(1)!.message, /stopped in tests\/b\.mjs: exited with code 134/);
});
