/**
 * Random truncation and corruption of the real fixtures: a parser never throws, never reports more
 * passes (or more coverage) than the undamaged file, and a meaningful truncation is an error or fewer
 * cases. FUZZ_RUNS raises the number of runs for a longer local hunt.
 */
import t from 'tap';
import fc from 'fast-check';
import { parseCoverage, parseTestReport } from '../../src/evidence/parsers.js';
import { summarize } from '../../src/evidence/coverage-summary.js';
import type { CoverageFormat } from '../../src/dsl/types.js';
import type { TestReportFormat } from '../../src/evidence/parsers.js';
import type { TestCounts, TestReport } from '../../src/evidence/types.js';
import { fixtureText, unwrap } from './fixtures.js';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 120);

const TEST_FIXTURES: [string, TestReportFormat][] = [
  ['pytest/junit-xunit1.xml', 'junit'],
  ['surefire/TEST-demo.CalcTest.xml', 'junit'],
  ['jest/junit.xml', 'junit'],
  ['node-test/junit.xml', 'junit'],
  ['go-junit-report/report.xml', 'junit'],
  ['node-tap/node-tap.tap', 'tap'],
  ['node-test/node-test.tap', 'tap'],
  ['prove/basic.tap', 'tap'],
  ['prove/short.tap', 'tap'],
];

const COVERAGE_FIXTURES: [string, CoverageFormat][] = [
  ['c8/lcov.info', 'lcov'],
  ['pytest/coverage-unit.lcov', 'lcov'],
  ['jest/lcov.info', 'lcov'],
  ['pytest/coverage-unit.xml', 'cobertura'],
  ['c8/cobertura-coverage.xml', 'cobertura'],
  ['jest/cobertura-coverage.xml', 'cobertura'],
  ['c8/coverage-summary.json', 'istanbul-summary'],
  ['jest/coverage-summary.json', 'istanbul-summary'],
  ['c8/coverage-final.json', 'istanbul-final'],
  ['jest/coverage-final.json', 'istanbul-final'],
];

/** Up to 3 bytes replaced by characters that matter to these formats, or by anything. */
const corruption = (length: number) =>
  fc.array(
    fc.record({
      at: fc.nat({ max: length - 1 }),
      char: fc.oneof(
        fc.constantFrom('<', '>', '/', '"', '\n', ' ', '#', ':', ',', '0', '9', '-', '{', '}', '.'),
        fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
      ),
    }),
    { minLength: 1, maxLength: 3 },
  );

function corrupt(text: string, edits: readonly { at: number; char: string }[]): string {
  const chars = [...text];
  for (const e of edits) chars[e.at % chars.length] = e.char;
  return chars.join('');
}

/** Same cases, same outcomes: the cut removed only what the parser does not use (comments, diagnostics). */
function sameCases(a: TestReport, b: TestReport): boolean {
  const key = (r: TestReport) => JSON.stringify([...r.cases].map((c) => [c.suite, c.name, c.status]));
  return key(a) === key(b);
}

/**
 * What damage must never do: add a pass without being flagged. JUnit: never more passes. TAP: a skip
 * is free text after `#`, so a damaged `# SKIP` honestly reads as a pass — the bound there is passed +
 * skipped; and damage to the indentation that moves points between subtests may add a pass only when
 * the stream is flagged (error cases: plan, sequence), which fails the tests gate anyway.
 */
function noNewPasses(format: TestReportFormat, original: TestCounts, damaged: TestCounts): boolean {
  if (format === 'junit') return damaged.passed <= original.passed;
  return damaged.errored > original.errored || damaged.passed + damaged.skipped <= original.passed + original.skipped;
}

for (const [name, format] of TEST_FIXTURES) {
  const text = fixtureText(name);
  const original = unwrap(parseTestReport(text, format));

  t.test(`${name}: truncation is an error or fewer cases, never more passes`, async (t) => {
    fc.assert(
      fc.property(fc.nat({ max: text.length - 1 }), (cut) => {
        const r = parseTestReport(text.slice(0, cut), format);
        if (!r.ok) return true;
        const c = r.value.counts;
        return (
          noNewPasses(format, original.counts, c) &&
          (c.total < original.counts.total || c.errored > original.counts.errored || sameCases(r.value, original))
        );
      }),
      { numRuns: RUNS },
    );
    t.pass('held');
  });

  t.test(`${name}: corruption never throws and never adds an unflagged pass`, async (t) => {
    fc.assert(
      fc.property(corruption(text.length), (edits) => {
        const r = parseTestReport(corrupt(text, edits), format);
        return !r.ok || noNewPasses(format, original.counts, r.value.counts);
      }),
      { numRuns: RUNS },
    );
    t.pass('held');
  });
}

for (const [name, format] of COVERAGE_FIXTURES) {
  const text = fixtureText(name);
  const original = summarize(unwrap(parseCoverage(text, format)));
  const notMore = (s: ReturnType<typeof summarize>) =>
    s.lines.covered <= original.lines.covered &&
    s.branches.covered <= original.branches.covered &&
    s.functions.covered <= original.functions.covered;

  t.test(`${name}: truncation is an error or less coverage`, async (t) => {
    fc.assert(
      fc.property(fc.nat({ max: text.length - 1 }), (cut) => {
        const r = parseCoverage(text.slice(0, cut), format);
        return !r.ok || notMore(summarize(r.value));
      }),
      { numRuns: RUNS },
    );
    t.pass('held');
  });

  t.test(
    `${name}: corruption never throws${format === 'istanbul-final' ? '' : ' and never adds coverage'}`,
    async (t) => {
      fc.assert(
        fc.property(corruption(text.length), (edits) => {
          const r = parseCoverage(corrupt(text, edits), format);
          // coverage-final.json has no totals to check a damaged digit against (see istanbul-parser.ts).
          return !r.ok || format === 'istanbul-final' || notMore(summarize(r.value));
        }),
        { numRuns: RUNS },
      );
      t.pass('held');
    },
  );
}
