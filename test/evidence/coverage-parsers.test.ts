import t from 'tap';
import { mergeCoverage } from '../../src/evidence/coverage-merge.js';
import { summarize } from '../../src/evidence/coverage-summary.js';
import { parseCoverage } from '../../src/evidence/parsers.js';
import type { CoverageFormat } from '../../src/dsl/types.js';
import { JESTPROJ, NODEPROJ, PYPROJ, fixtureText, unwrap } from './fixtures.js';

const cov = (name: string, format: CoverageFormat, pathMap: Record<string, string> = {}) =>
  unwrap(parseCoverage(fixtureText(name), format, { file: name, phase: 'unit' }, pathMap));
const counts = (name: string, format: CoverageFormat) => {
  const s = summarize(cov(name, format));
  return {
    lines: [s.lines.covered, s.lines.total],
    branches: [s.branches.covered, s.branches.total],
    functions: [s.functions.covered, s.functions.total],
    statements: [s.statements.covered, s.statements.total],
  };
};

t.test('c8: lcov, cobertura, coverage-final and coverage-summary agree on every count they have', async (t) => {
  const expected = { lines: [20, 23], branches: [8, 9], functions: [3, 4], statements: [20, 23] };
  const noStatements = { ...expected, statements: [0, 0] }; // lcov and cobertura record none: no figure, not lines again
  t.same(counts('c8/lcov.info', 'lcov'), noStatements);
  t.same(counts('c8/cobertura-coverage.xml', 'cobertura'), noStatements);
  t.same(counts('c8/coverage-final.json', 'istanbul-final'), expected);
  t.same(counts('c8/coverage-summary.json', 'istanbul-summary'), expected);
});

t.test('jest (babel istanbul): statements differ from lines in the JSON formats', async (t) => {
  t.same(counts('jest/coverage-final.json', 'istanbul-final'), {
    lines: [10, 11],
    branches: [9, 10],
    functions: [2, 3],
    statements: [11, 13],
  });
  t.same(counts('jest/coverage-summary.json', 'istanbul-summary'), {
    lines: [10, 11],
    branches: [9, 10],
    functions: [2, 3],
    statements: [11, 13],
  });
  // The same run's lcov has no statements: it must not print lines (10/11) as statements (really 11/13).
  t.same(counts('jest/lcov.info', 'lcov'), {
    lines: [10, 11],
    branches: [9, 10],
    functions: [2, 3],
    statements: [0, 0],
  });
  t.equal(summarize(cov('jest/lcov.info', 'lcov')).statements.pct, null);
  // Merged with a phase that has statements, a figure over only that phase's files would be made up.
  t.equal(
    summarize(mergeCoverage([cov('jest/coverage-final.json', 'istanbul-final'), cov('c8/lcov.info', 'lcov')]))
      .statements.pct,
    null,
  );
});

t.test('coverage.py: cobertura and lcov agree; no function data in either', async (t) => {
  const expected = { lines: [17, 22], branches: [7, 10], functions: [0, 0], statements: [0, 0] };
  t.same(counts('pytest/coverage-unit.xml', 'cobertura'), expected);
  t.same(counts('pytest/coverage-unit.lcov', 'lcov'), expected);
  t.equal(summarize(cov('pytest/coverage-unit.xml', 'cobertura')).functions.pct, null);
});

t.test('lcov detail: DA, BRDA with "-", FN/FNDA keyed name@line', async (t) => {
  const r = cov('c8/lcov.info', 'lcov');
  const file = r.files[0]!;
  t.equal(file.path, 'src/math.js');
  t.equal(file.lines[6], 3);
  t.equal(file.lines[21], 0);
  t.equal(file.functions['unused@20'], 0);
  t.equal(file.functions['clamp@5'], 3);
  t.equal(file.branches['17:8'], 0, 'a one-way branch (V8) is keyed line:block');
  t.same(
    cov('jest/lcov.info', 'lcov').files[0]!.branches['4:0.1'],
    4,
    'a block with several branches on one line: line:block.branch',
  );
  const py = cov('pytest/coverage-unit.lcov', 'lcov').files.find((f) => f.path === 'calc/ops.py')!;
  t.equal(py.branches['16:2'], 0, 'BRDA taken "-" is zero; coverage.py branches keyed by destination line and block');
});

t.test('cobertura: <sources> + relative filenames give absolute paths; pathMap makes them repo paths', async (t) => {
  t.same(
    cov('pytest/coverage-unit.xml', 'cobertura').files.map((f) => f.path),
    [`${PYPROJ}calc/__init__.py`, `${PYPROJ}calc/ops.py`, `${PYPROJ}calc/upload.py`],
  );
  t.same(
    cov('pytest/coverage-unit.xml', 'cobertura', { [PYPROJ]: '' }).files.map((f) => f.path),
    ['calc/__init__.py', 'calc/ops.py', 'calc/upload.py'],
  );
  t.same(
    cov('c8/cobertura-coverage.xml', 'cobertura', { [NODEPROJ]: '' }).files.map((f) => f.path),
    ['src/math.js'],
  );
  const ops = cov('pytest/coverage-unit.xml', 'cobertura').files[1]!;
  t.same([ops.branches['14:0'], ops.branches['14:1']], [1, 0], 'condition-coverage 50% (1/2): one taken, one not');
});

t.test('cobertura methods (c8) become functions without adding lines', async (t) => {
  const file = cov('c8/cobertura-coverage.xml', 'cobertura').files[0]!;
  t.same(file.functions, { 'add@1': 1, 'clamp@5': 3, 'parseSize@11': 2, 'unused@20': 0 });
  t.equal(Object.keys(file.lines).length, 23);
});

t.test('istanbul paths map too', async (t) => {
  t.same(
    cov('jest/coverage-final.json', 'istanbul-final', { [JESTPROJ]: '' }).files.map((f) => f.path),
    ['src/cart.js'],
  );
  t.same(
    cov('jest/coverage-summary.json', 'istanbul-summary', { [JESTPROJ]: '' }).files.map((f) => f.path),
    ['src/cart.js'],
  );
});

const damaged: [string, CoverageFormat, string, RegExp][] = [
  [
    'lcov hit count raised without LH',
    'lcov',
    'SF:a.js\nDA:1,1\nDA:2,1\nLF:2\nLH:1\nend_of_record\n',
    /LH:1 but its detail lines give 2/,
  ],
  ['lcov record without end_of_record', 'lcov', 'SF:a.js\nDA:1,1\n', /cut short/],
  ['lcov garbage line', 'lcov', 'SF:a.js\nhello\nend_of_record\n', /not an lcov line/],
  ['lcov non-numeric count', 'lcov', 'SF:a.js\nDA:1,x\nend_of_record\n', /not a whole number/],
  ['lcov data before SF', 'lcov', 'DA:1,1\n', /outside a record/],
  [
    'cobertura totals disagree',
    'cobertura',
    '<coverage lines-valid="1" lines-covered="1"><packages><package><classes><class filename="a.py"><lines><line number="1" hits="0"/></lines></class></classes></package></packages></coverage>',
    /lines-covered="1"/,
  ],
  ['cobertura wrong root', 'cobertura', '<testsuites/>', /expected <coverage>/],
  ['cobertura unclosed', 'cobertura', '<coverage><packages>', /not a valid Cobertura/],
  ['istanbul-final not JSON', 'istanbul-final', '{"a.js": {', /invalid JSON/],
  ['istanbul-final missing maps', 'istanbul-final', '{"a.js": {"path": "a.js"}}', /statementMap is not an object/],
  [
    'istanbul-summary pct disagrees',
    'istanbul-summary',
    '{"total":{},"a.js":{"lines":{"total":10,"covered":9,"skipped":0,"pct":80}}}',
    /does not match 9\/10/,
  ],
  [
    'istanbul-summary without total',
    'istanbul-summary',
    '{"a.js":{"lines":{"total":10,"covered":9,"pct":90}}}',
    /no "total" entry/,
  ],
  [
    'istanbul-summary total disagrees',
    'istanbul-summary',
    '{"total":{"lines":{"total":10,"covered":9,"pct":90}},"a.js":{"lines":{"total":10,"covered":8,"pct":80}}}',
    /files add up to 8/,
  ],
  [
    'istanbul-summary total only',
    'istanbul-summary',
    '{"total":{"lines":{"total":10,"covered":9,"pct":90}}}',
    /only a total/,
  ],
];
for (const [what, format, text, pattern] of damaged) {
  t.test(`damaged input is an error, not coverage: ${what}`, async (t) => {
    const r = parseCoverage(text, format, { file: 'cov.out', phase: 'integration' });
    t.equal(r.ok, false);
    if (!r.ok) t.match(r.error, { file: 'cov.out', phase: 'integration', message: pattern });
  });
}

t.test(
  'lcov and coverage-final of the same run use the same keys, so they merge without double counting',
  async (t) => {
    for (const [tool, root] of [
      ['c8', NODEPROJ],
      ['jest', JESTPROJ],
    ] as const) {
      const lcov = cov(`${tool}/lcov.info`, 'lcov');
      const final = cov(`${tool}/coverage-final.json`, 'istanbul-final', { [root]: '' });
      const merged = summarize(mergeCoverage([lcov, final]));
      const alone = summarize(lcov);
      t.same(
        [merged.lines.total, merged.branches.total, merged.functions.total],
        [alone.lines.total, alone.branches.total, alone.functions.total],
        tool,
      );
    }
  },
);

t.test('lcov: functions sharing a name (v8 `<instance_members_initializer>`) keep their own hit counts', async (t) => {
  const text = [
    'SF:src/errors.ts',
    'FN:28,<instance_members_initializer>',
    'FN:31,PlanInvalidError',
    'FN:37,<instance_members_initializer>',
    'FNF:3',
    'FNH:2',
    'FNDA:1,<instance_members_initializer>',
    'FNDA:1,PlanInvalidError',
    'FNDA:0,<instance_members_initializer>',
    'DA:28,1',
    'DA:37,0',
    'end_of_record',
    '',
  ].join('\n');
  const r = parseCoverage(text, 'lcov', { file: 'lcov.info', phase: 'unit' });
  t.ok(r.ok, r.ok ? '' : r.error.message);
  if (!r.ok) return;
  t.same(r.value.files[0]!.functions, {
    '<instance_members_initializer>@28': 1,
    'PlanInvalidError@31': 1,
    '<instance_members_initializer>@37': 0,
  });
  const damaged = parseCoverage(text.replace('FNH:2', 'FNH:3'), 'lcov', { file: 'lcov.info', phase: 'unit' });
  t.notOk(damaged.ok, 'a count that disagrees with the detail lines is still caught');
});

t.test('cobertura: a method counts as called only as far as its own line agrees', async (t) => {
  const xml = (methodHits: string, lineHits: string) =>
    `<?xml version="1.0"?><coverage lines-valid="1" lines-covered="${lineHits === '0' ? 0 : 1}"><packages><package name="p"><classes>` +
    `<class name="a" filename="src/a.js"><methods><method name="unused" hits="${methodHits}" signature="()V"><lines><line number="20" hits="${lineHits}"/></lines></method></methods>` +
    `<lines><line number="20" hits="${lineHits}"/></lines></class></classes></package></packages></coverage>`;
  const honest = parseCoverage(xml('0', '0'), 'cobertura', { file: 'c.xml', phase: 'unit' });
  const damaged = parseCoverage(xml('9', '0'), 'cobertura', { file: 'c.xml', phase: 'unit' });
  const called = parseCoverage(xml('2', '2'), 'cobertura', { file: 'c.xml', phase: 'unit' });
  t.ok(honest.ok && damaged.ok && called.ok);
  if (!honest.ok || !damaged.ok || !called.ok) return;
  t.same(damaged.value.files[0]!.functions, honest.value.files[0]!.functions, 'a damaged hits="9" adds no coverage');
  t.same(called.value.files[0]!.functions, { 'unused@20': 2 });
});
