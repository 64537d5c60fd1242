/** The changed-lines gate through evaluateGates: statuses when evidence is missing, and the rows' place. */
import t from 'tap';
import { evaluateGates } from '../../src/evidence/gates.js';
import type { GateInput } from '../../src/evidence/evidence-input.js';
import type { ChangeSetResult } from '../../src/evidence/changed-lines/types.js';
import { changedLinesSection } from '../../src/report/markdown/changed-lines.js';
import { changedLinesResults } from '../../src/run/changed-lines-results.js';
import { changedLinesOutcome } from '../../src/evidence/gates.js';
import { coverageOk, gatesSpec, phase } from './builders.js';
import { loadFixture } from '../report/fixtures.js';

const changes = (files: { path: string; lines: number[] }[]): ChangeSetResult => ({
  ok: true,
  value: { base: 'main', mergeBase: 'f'.repeat(40), root: '/repo', files },
});
const input = (over: Partial<GateInput>): GateInput => ({
  gates: gatesSpec({ coverage: { lines: 50 }, changedLines: { lines: 80, base: 'main' } }),
  phases: [phase('unit', { coverage: coverageOk('/repo/src/a.ts', 8, 10) })],
  totalDurationMs: 1,
  checks: {},
  planDir: '/repo',
  changes: changes([{ path: 'src/a.ts', lines: [1, 2, 9] }]),
  ...over,
});
const row = (i: GateInput) => evaluateGates(i).find((g) => g.name === 'coverage.changed.lines')!;

t.test('pass and fail by counts; the row follows the coverage rows', async (t) => {
  const names = evaluateGates(input({})).map((g) => g.name);
  t.same(names.slice(0, 2), ['coverage.lines', 'coverage.changed.lines']);
  t.match(row(input({})), { status: 'fail', actual: '66.6%', threshold: '≥ 80%' });
  t.match(row(input({ changes: changes([{ path: 'src/a.ts', lines: [1, 2] }]) })), {
    status: 'pass',
    actual: '100.0%',
  });
  // A line past the file's coverage (not executable) does not count.
  t.match(row(input({ changes: changes([{ path: 'src/a.ts', lines: [1, 2, 40] }]) })), { status: 'pass' });
});

t.test('missing evidence: never a pass', async (t) => {
  t.match(row(input({ phases: [phase('unit')] })), {
    status: 'error',
    message: /no phase in this run reports coverage/,
  });
  t.match(row(input({ phases: [phase('unit', { declares: { results: false, coverage: true } })] })), {
    status: 'not-run',
  });
  t.match(row(input({ phases: [], unselected: [{ name: 'unit', results: false, coverage: true }] })), {
    status: 'not-selected',
  });
  t.match(
    row(
      input({
        phases: [
          phase('unit', { coverage: { ok: false, error: { file: 'lcov.info', phase: 'unit', message: 'bad' } } }),
        ],
      }),
    ),
    { status: 'error', message: /coverage could not be read/ },
  );
  t.match(row(input({ changes: { ok: false, error: "base 'x' is not a commit" } })), {
    status: 'error',
    message: "base 'x' is not a commit",
  });
  t.match(row(input({ changes: undefined })), { status: 'error' });
});

t.test('the report section and results.json stay short at scale', async (t) => {
  const files = Array.from({ length: 700 }, (_, i) => ({
    path: `src/n${i}.ts`,
    lines: Array.from({ length: 120 }, (_, l) => l * 2 + 1),
  }));
  const outcome = changedLinesOutcome(input({ changes: changes(files) }))!;
  t.equal(outcome.row.status, 'fail');
  const stored = changedLinesResults(outcome.report!);
  t.equal(stored.files.length, 500);
  t.equal(stored.unlistedFiles, 200);
  t.equal(stored.files[0]!.uncovered.length, 50, '50 ranges, then a count');
  t.equal(stored.files[0]!.unlistedRanges, 70);
  const md = changedLinesSection({ ...loadFixture('passing'), changedLines: stored })!;
  t.match(md, /… and 680 more changed files/);
  t.match(md, /and 110 more ranges/);
  t.ok(md.split('\n').length < 40);
});
