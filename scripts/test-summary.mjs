// After `tap`: prints the closing line `N passed, N failed, N skipped` (top-level tests of every file,
// from .tap/test-results) and fails when line coverage of src/ falls under the bar.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

function* tapFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* tapFiles(path);
    else if (entry.name.endsWith('.tap')) yield path;
  }
}

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of tapFiles('.tap/test-results')) {
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (/^not ok \d+/.test(line)) failed++;
    else if (/^ok \d+.*# (SKIP|TODO)/i.test(line)) skipped++;
    else if (/^ok \d+/.test(line)) passed++;
  }
}

const MIN_LINES = Number(process.env.TESTPLAN_MIN_LINE_COVERAGE ?? 90);
const summary = JSON.parse(readFileSync('.tap/report/coverage-summary.json', 'utf8'));
let covered = 0;
let total = 0;
const srcFiles = Object.entries(summary).filter(([file]) => file.includes('/src/'));
for (const [, metrics] of srcFiles) {
  covered += metrics.lines.covered;
  total += metrics.lines.total;
}
const pct = total ? (100 * covered) / total : 0;
const coverage = `coverage of src/: ${pct.toFixed(2)}% lines (${covered}/${total} in ${srcFiles.length} files), bar ${MIN_LINES}%`;
console.log(pct < MIN_LINES ? `✖ ${coverage}` : `✔ ${coverage}`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
if (pct < MIN_LINES || failed > 0 || passed === 0) process.exit(1);
