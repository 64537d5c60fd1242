import t from 'tap';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCoverage, readTestReport, type OpenText } from '../../src/evidence/read-evidence.js';
import { parseCoverage, parseTestReport } from '../../src/evidence/parsers.js';
import { PYPROJ, fixturePath, fixtureText } from './fixtures.js';
import { tempDir } from '../helpers/temp-dir.js';

const dir = tempDir('evidence-read');

/** Feeds the text in tiny chunks, so every parser sees tags, lines and entities split across writes. */
const chunked = (text: string, size: number): OpenText =>
  async function* () {
    for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
  };

t.test('reading a real file gives the same report as parsing its text', async (t) => {
  const r = await readTestReport(fixturePath('pytest/junit-xunit1.xml'), 'junit', 'unit');
  t.same(r, parseTestReport(fixtureText('pytest/junit-xunit1.xml'), 'junit'));
  const c = await readCoverage(fixturePath('pytest/coverage-unit.xml'), 'cobertura', 'unit', { [PYPROJ]: '' });
  t.same(c, parseCoverage(fixtureText('pytest/coverage-unit.xml'), 'cobertura', undefined, { [PYPROJ]: '' }));
  t.ok(c.ok && c.value.files.every((f) => !f.path.startsWith('/')), 'pathMap applied');
});

t.test('chunk boundaries anywhere do not change the result', async (t) => {
  const cases = [
    ['node-tap/node-tap.tap', 'tap'],
    ['surefire/TEST-demo.CalcTest.xml', 'junit'],
  ] as const;
  for (const [name, format] of cases) {
    const whole = parseTestReport(fixtureText(name), format);
    for (const size of [1, 7, 64]) {
      t.same(
        await readTestReport(name, format, undefined, { openText: chunked(fixtureText(name), size) }),
        { ...whole },
        `${name} in ${size}-char chunks`,
      );
    }
  }
  const lcov = parseCoverage(fixtureText('c8/lcov.info'), 'lcov');
  t.same(
    await readCoverage('lcov.info', 'lcov', undefined, {}, { openText: chunked(fixtureText('c8/lcov.info'), 3) }),
    lcov,
  );
});

t.test('a missing file is an error naming the file and the phase, and says what to check', async (t) => {
  const file = join(dir, 'nope.xml');
  const r = await readTestReport(file, 'junit', 'integration');
  t.same(r.ok, false);
  if (!r.ok)
    t.match(r.error, {
      file,
      phase: 'integration',
      message: /was not written: check that the phase's command writes it/,
    });
  const c = await readCoverage(file, 'cobertura', 'integration');
  t.same(c.ok, false);
  if (!c.ok) t.match(c.error, { file, phase: 'integration', message: /Cobertura XML file was not written/ });
});

t.test('an empty file, a folder and a malformed file are errors, never an empty pass', async (t) => {
  const empty = join(dir, 'empty.xml');
  writeFileSync(empty, '');
  const blank = join(dir, 'blank.tap');
  writeFileSync(blank, '\n\n  \n');
  const folder = join(dir, 'folder.xml');
  mkdirSync(folder);
  const broken = join(dir, 'broken.info');
  writeFileSync(broken, 'SF:a.js\nDA:1,1\n');
  for (const [result, pattern] of [
    [await readTestReport(empty, 'junit', 'unit'), /JUnit XML file is empty/],
    [await readTestReport(blank, 'tap', 'unit'), /TAP file is empty/],
    [await readTestReport(folder, 'junit', 'unit'), /folder, not a JUnit XML file/],
    [await readCoverage(broken, 'lcov', 'unit'), /not a valid lcov file: .*cut short/],
  ] as const) {
    t.equal(result.ok, false);
    if (!result.ok) t.match(result.error, { phase: 'unit', message: pattern });
  }
});

t.test('an open stream that fails midway is an error, not a partial report', async (t) => {
  const failing: OpenText = async function* () {
    yield '<testsuites><testcase name="a"/>';
    throw Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
  };
  const r = await readTestReport('/out/junit.xml', 'junit', 'unit', { openText: failing });
  t.equal(r.ok, false);
  if (!r.ok) t.match(r.error, { file: '/out/junit.xml', phase: 'unit', message: /cannot be read: EIO/ });
});
