import t from 'tap';
import fc from 'fast-check';
import { coverageMergeWarnings, mapPaths, mergeCoverage } from '../../src/evidence/coverage-merge.js';
import { summarize } from '../../src/evidence/coverage-summary.js';
import { parseCoverage } from '../../src/evidence/parsers.js';
import type { CoverageReport, FileCoverage } from '../../src/evidence/types.js';
import { PYPROJ, fixtureText, unwrap } from './fixtures.js';

const file = (path: string, lines: Record<number, number>, extra: Partial<FileCoverage> = {}): FileCoverage => ({
  path,
  lines,
  branches: {},
  functions: {},
  ...extra,
});
const report = (...files: FileCoverage[]): CoverageReport => ({ format: 'lcov', files });

t.test('the same line covered in two phases counts once', async (t) => {
  const unit = report(file('a.py', { 1: 1, 2: 0, 3: 0 }));
  const integration = report(file('a.py', { 1: 5, 2: 2, 3: 0 }));
  const s = summarize(mergeCoverage([unit, integration]));
  t.same([s.lines.covered, s.lines.total], [2, 3]);
  t.equal(mergeCoverage([unit, integration]).files[0]!.lines[1], 6, 'hit counts add up');
});

t.test('disjoint files add up', async (t) => {
  const s = summarize(
    mergeCoverage([report(file('a.py', { 1: 1, 2: 0 })), report(file('b.py', { 1: 1, 2: 1, 3: 1 }))]),
  );
  t.same([s.lines.covered, s.lines.total], [4, 5]);
});

t.test('percentages are never averaged', async (t) => {
  // unit: 1 of 10 lines of a big file (10%); integration: 2 of 2 lines of a small file (100%).
  // Averaging would say 55%; the real merged figure is 3 of 12 = 25%.
  const big = file('big.py', Object.fromEntries(Array.from({ length: 10 }, (_, i) => [i + 1, i === 0 ? 1 : 0])));
  const small = file('small.py', { 1: 1, 2: 1 });
  const s = summarize(mergeCoverage([report(big), report(small)]));
  t.equal(s.lines.pct, 25);
  t.not(s.lines.pct, (10 + 100) / 2);
});

t.test('branches and functions merge by key the same way', async (t) => {
  const a = report(file('a.js', {}, { branches: { '3:0.0': 1, '3:0.1': 0 }, functions: { 'f@1': 0, 'g@5': 1 } }));
  const b = report(file('a.js', {}, { branches: { '3:0.0': 0, '3:0.1': 4 }, functions: { 'f@1': 2, 'g@5': 0 } }));
  const s = summarize(mergeCoverage([a, b]));
  t.same([s.branches.covered, s.branches.total, s.functions.covered, s.functions.total], [2, 2, 2, 2]);
});

t.test('real pytest phases: unit + integration over the same package, after path mapping', async (t) => {
  const read = (name: string) =>
    unwrap(parseCoverage(fixtureText(name), 'cobertura', { file: name }, { [PYPROJ]: '' }));
  const unit = read('pytest/coverage-unit.xml');
  const integration = read('pytest/coverage-integration.xml');
  const s = summarize(mergeCoverage([unit, integration]));
  // unit misses ops.py 16, 20, 21 and upload.py 3, 6; integration covers upload.py 3 and 6.
  t.same([s.lines.covered, s.lines.total], [19, 22]);
  // Cobertura says how many branches of a line were taken, not which: two phases that took different
  // halves of upload.py lines 2 and 5 merge to a lower bound (8), never more than the truth.
  t.same([s.branches.covered, s.branches.total], [8, 10]);
  // The merged percentage is not the average of the phases' percentages.
  t.not(s.lines.pct, (summarize(unit).lines.pct! + summarize(integration).lines.pct!) / 2);
  // cobertura and lcov of the same runs merge to the same numbers.
  const lcov = (name: string) => unwrap(parseCoverage(fixtureText(name), 'lcov', { file: name }));
  const fromLcov = summarize(
    mergeCoverage([lcov('pytest/coverage-unit.lcov'), lcov('pytest/coverage-integration.lcov')]),
  );
  t.same([fromLcov.lines.covered, fromLcov.lines.total], [19, 22]);
  t.same([fromLcov.branches.covered, fromLcov.branches.total], [9, 10], 'lcov names the branches: the exact union');
});

t.test('counts-only coverage (istanbul summary) merges as a lower bound, never an average or a sum', async (t) => {
  const summaryOnly = (covered: number, total: number) =>
    report(file('a.js', {}, { totals: { lines: { covered, total } } }));
  const s = summarize(mergeCoverage([summaryOnly(6, 10), summaryOnly(3, 10)]));
  t.same([s.lines.covered, s.lines.total], [6, 10], 'the best single phase: the union covers at least that');
  const withDetail = summarize(
    mergeCoverage([summaryOnly(3, 10), report(file('a.js', { 1: 1, 2: 1, 3: 1, 4: 1, 5: 0 }))]),
  );
  t.same([withDetail.lines.covered, withDetail.lines.total], [4, 10]);
});

t.test('mapPaths: longest prefix wins, unmatched paths stay, files that collide merge', async (t) => {
  const r = report(
    file('/app/src/a.js', { 1: 1 }),
    file('/app/vendor/x.js', { 1: 0 }),
    file('/srv/b.js', { 1: 1 }),
    file('src/a.js', { 2: 1 }),
  );
  const mapped = mapPaths(r, { '/app/': '', '/app/vendor/': 'third_party/' });
  t.same(mapped.files.map((f) => f.path).sort(), ['/srv/b.js', 'src/a.js', 'third_party/x.js']);
  t.same(mapped.files.find((f) => f.path === 'src/a.js')!.lines, { 1: 1, 2: 1 });
  t.equal(mapPaths(r, {}), r);
});

t.test('summarize: a metric nobody measured has pct null, not 0 and not 100', async (t) => {
  const s = summarize(report(file('a.py', { 1: 1 })));
  t.equal(s.branches.pct, null);
  t.equal(s.lines.pct, 100);
  t.equal(summarize(report()).lines.pct, null);
});

const fileArb = fc.record({
  path: fc.constantFrom('a.py', 'b.py', 'c.py'),
  lines: fc.dictionary(fc.integer({ min: 1, max: 30 }).map(String), fc.nat({ max: 3 })),
  branches: fc.dictionary(fc.constantFrom('1:0', '1:1', '2:0', '2:1'), fc.nat({ max: 2 })),
});
const reportArb = fc.array(fileArb, { maxLength: 4 }).map(
  (files): CoverageReport => ({
    format: 'lcov',
    files: files.map((f) => ({
      path: f.path,
      lines: Object.fromEntries(Object.entries(f.lines).map(([k, v]) => [Number(k), v])),
      branches: f.branches,
      functions: {},
    })),
  }),
);

t.test(
  'property: merging is order-free, a report merged with itself is unchanged, and the union lies between max and sum',
  async (t) => {
    fc.assert(
      fc.property(reportArb, reportArb, (a, b) => {
        const ab = summarize(mergeCoverage([a, b]));
        const ba = summarize(mergeCoverage([b, a]));
        const aa = summarize(mergeCoverage([a, a]));
        const sa = summarize(mergeCoverage([a]));
        const sb = summarize(mergeCoverage([b]));
        return (
          JSON.stringify(ab) === JSON.stringify(ba) &&
          JSON.stringify(aa) === JSON.stringify(sa) &&
          ab.lines.covered >= Math.max(sa.lines.covered, sb.lines.covered) &&
          ab.lines.covered <= sa.lines.covered + sb.lines.covered &&
          ab.lines.total <= sa.lines.total + sb.lines.total
        );
      }),
      { numRuns: 300 },
    );
    t.pass('held');
  },
);

t.test('a pathMap prefix that matched no file is a warning naming it and what the paths look like', async (t) => {
  const mapped = mapPaths(report(file('/work/src/a.js', { 1: 1 })), { '/app/': '', '/work/': '' });
  t.same(
    mapped.files.map((f) => f.path),
    ['src/a.js'],
  );
  t.same(mapped.warnings, ['coverage.pathMap "/app/" matched none of the 1 files (they look like "/work/src/a.js")']);
  t.equal(
    mapPaths(report(file('/app/a.js', { 1: 1 })), { '/app/': '' }).warnings,
    undefined,
    'no warning when every prefix matched',
  );
});

t.test('the same relative path from phases in different folders is a merge warning; one folder is not', async (t) => {
  const pkg = (phase: string, base?: string) => ({
    phase,
    report: report(file('index.js', { 1: 1 }), file('/abs/x.js', { 1: 1 })),
    ...(base ? { base } : {}),
  });
  const warnings = coverageMergeWarnings([
    pkg('api', '/repo/packages/api'),
    pkg('web', '/repo/packages/web'),
    pkg('web-e2e', '/repo/packages/web'),
  ]);
  t.equal(warnings.length, 1, 'absolute paths are never ambiguous');
  t.match(
    warnings[0],
    /coverage for "index.js" comes from phases in different folders and was merged as one file: api \(in \/repo\/packages\/api\); web, web-e2e \(in \/repo\/packages\/web\)\. Give each phase a coverage.pathMap/,
  );
  t.same(coverageMergeWarnings([pkg('unit'), pkg('integration')]), []);
});

t.test('merging keeps the warnings of the reports merged', async (t) => {
  const merged = mergeCoverage([
    { ...report(file('a.js', { 1: 1 })), warnings: ['w1'] },
    { ...report(file('a.js', { 2: 1 })), warnings: ['w1', 'w2'] },
  ]);
  t.same(merged.warnings, ['w1', 'w2']);
});
