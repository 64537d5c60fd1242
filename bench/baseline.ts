/**
 * What the baseline comparison and the changed-lines gate add to a run, at scale: `attachBaseline` with
 * 20 stored runs of 10,000 listed tests and 2,000 coverage files each (it reads the 5 it needs), and
 * `measureChangedLines` for a 500-file change against a 2,000-file coverage. Prints medians.
 * Run: `npx tsx bench/baseline.ts`.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { measureChangedLines } from '../src/evidence/changed-lines/changed-coverage.js';
import type { CoverageReport } from '../src/evidence/types.js';
import { parseResults } from '../src/report/read-results.js';
import type { RunResults } from '../src/report/results.js';
import { serializeResults } from '../src/report/write-reports.js';
import { attachBaseline } from '../src/run/baseline.js';

const RUNS = 7;
const STORED = 20;
const TESTS = 10_000;
const FILES = 2_000;

function run(i: number): RunResults {
  const base = parseResults(readFileSync(new URL('../fixtures/results/passing.json', import.meta.url), 'utf8'));
  const tests = Array.from({ length: TESTS }, (_, n) => ({
    suite: `suite ${n % 100}`,
    name: `test ${n}`,
    status: (n + i) % 97 === 0 ? ('failed' as const) : ('passed' as const),
    durationMs: 1,
  }));
  return {
    ...base,
    runId: `run-${i}`,
    startedAt: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
    git: { commit: 'a'.repeat(40), dirty: false, branch: 'main' },
    phases: [{ ...base.phases[0]!, tests, failures: tests.filter((t) => t.status === 'failed') }],
    coverageFiles: Array.from({ length: FILES }, (_, f) => ({
      path: `src/f${f}.ts`,
      covered: (f + i) % 50,
      total: 50,
    })),
  };
}

const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const dir = mkdtempSync(join(tmpdir(), 'bench-baseline-'));
try {
  for (let i = 0; i < STORED; i++) {
    mkdirSync(join(dir, `run-${i}`));
    writeFileSync(join(dir, `run-${i}`, 'results.json'), serializeResults(run(i)));
  }
  const size = statSync(join(dir, 'run-0', 'results.json')).size;
  const current = run(STORED);
  const times: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const start = performance.now();
    const out = await attachBaseline(structuredClone(current), {
      choice: undefined,
      outDir: join(dir, 'now'),
      cwd: dir,
    });
    times.push(performance.now() - start);
    if (!out.baseline) throw new Error('no baseline found');
  }
  console.log(
    `attachBaseline, ${STORED} stored runs of ${TESTS} tests / ${FILES} coverage files (${(size / 1e6).toFixed(1)} MB each): ${median(times).toFixed(0)} ms median`,
  );

  const coverage: CoverageReport = {
    format: 'lcov',
    files: Array.from({ length: FILES }, (_, f) => ({
      path: `src/f${f}.ts`,
      lines: Object.fromEntries(Array.from({ length: 200 }, (_, l) => [l + 1, l % 3])),
      branches: {},
      functions: {},
    })),
  };
  const changes = {
    base: 'main',
    mergeBase: 'b'.repeat(40),
    root: '/repo',
    files: Array.from({ length: 500 }, (_, f) => ({
      path: `src/f${f * 4}.ts`,
      lines: Array.from({ length: 40 }, (_, l) => l * 5 + 1),
    })),
  };
  const gateTimes: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const start = performance.now();
    measureChangedLines(changes, coverage, {}, '/repo');
    gateTimes.push(performance.now() - start);
  }
  console.log(
    `measureChangedLines, 500 changed files × 40 lines vs ${FILES}-file coverage: ${median(gateTimes).toFixed(1)} ms median`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
