/**
 * Parses a generated 20,000-case JUnit file and a 2,000-file lcov tracefile from disk, several times
 * each, and prints the median. Target: well under a second each. Run: `npx tsx bench/evidence.ts`.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { readCoverage, readTestReport, summarize } from '../src/evidence/index.js';

const RUNS = 7;
const CASES = 20_000;
const FILES = 2_000;

function junitXml(cases: number): string {
  const parts = ['<?xml version="1.0" encoding="utf-8"?>\n<testsuites>\n'];
  const perSuite = 100;
  for (let s = 0; s < cases / perSuite; s++) {
    parts.push(`  <testsuite name="pkg.module_${s}" tests="${perSuite}" file="tests/test_module_${s}.py">\n`);
    for (let c = 0; c < perSuite; c++) {
      const n = s * perSuite + c;
      const open = `    <testcase classname="tests.test_module_${s}" name="test_case_${n}" time="0.00${n % 10}"`;
      if (n % 50 === 0)
        parts.push(
          `${open}><failure message="assert 1 == 2">Traceback line 1\nassert 1 == 2</failure><system-out>out ${n}</system-out></testcase>\n`,
        );
      else if (n % 33 === 0) parts.push(`${open}><skipped message="not today"/></testcase>\n`);
      else parts.push(`${open}/>\n`);
    }
    parts.push('  </testsuite>\n');
  }
  parts.push('</testsuites>\n');
  return parts.join('');
}

function lcov(files: number): string {
  const parts: string[] = [];
  for (let f = 0; f < files; f++) {
    parts.push(`TN:\nSF:/app/src/module_${f}.js\n`);
    let fnHit = 0;
    for (let fn = 0; fn < 5; fn++) parts.push(`FN:${fn * 20 + 1},fn_${fn}\n`);
    for (let fn = 0; fn < 5; fn++) {
      const hits = fn === 4 ? 0 : fn + 1;
      if (hits > 0) fnHit++;
      parts.push(`FNDA:${hits},fn_${fn}\n`);
    }
    parts.push(`FNF:5\nFNH:${fnHit}\n`);
    let hit = 0;
    for (let line = 1; line <= 100; line++) {
      const hits = line % 7 === 0 ? 0 : line % 13;
      if (hits > 0) hit++;
      parts.push(`DA:${line},${hits}\n`);
    }
    parts.push(`LF:100\nLH:${hit}\n`);
    let brHit = 0;
    for (let b = 0; b < 10; b++) {
      const taken = b % 3 === 0 ? '-' : String(b);
      if (taken !== '-' && taken !== '0') brHit++;
      parts.push(`BRDA:${b * 10 + 2},${b},0,${taken}\nBRDA:${b * 10 + 2},${b},1,1\n`);
      brHit++;
    }
    parts.push(`BRF:20\nBRH:${brHit}\nend_of_record\n`);
  }
  return parts.join('');
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function time(label: string, file: string, run: () => Promise<string>): Promise<void> {
  const times: number[] = [];
  let summary = '';
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    summary = await run();
    times.push(performance.now() - start);
  }
  const mb = (statSync(file).size / 1e6).toFixed(1);
  console.log(
    `${label}: median ${median(times).toFixed(0)} ms over ${RUNS} runs (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)}; ${mb} MB) — ${summary}`,
  );
}

const dir = mkdtempSync(join(tmpdir(), 'bench-evidence-'));
try {
  const junitFile = join(dir, 'junit.xml');
  const lcovFile = join(dir, 'lcov.info');
  writeFileSync(junitFile, junitXml(CASES));
  writeFileSync(lcovFile, lcov(FILES));
  await time(`JUnit ${CASES.toLocaleString('en')} cases`, junitFile, async () => {
    const r = await readTestReport(junitFile, 'junit', 'bench');
    if (!r.ok) throw new Error(r.error.message);
    const c = r.value.counts;
    return `${c.total} cases, ${c.failed} failed, ${c.skipped} skipped`;
  });
  await time(`lcov ${FILES.toLocaleString('en')} files`, lcovFile, async () => {
    const r = await readCoverage(lcovFile, 'lcov', 'bench', { '/app/': '' });
    if (!r.ok) throw new Error(r.error.message);
    const s = summarize(r.value);
    return `${r.value.files.length} files, lines ${s.lines.covered}/${s.lines.total}, branches ${s.branches.covered}/${s.branches.total}`;
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
