// Fails `npm test` when line coverage of src/ (measured by tap's v8 coverage) falls under the bar.
import { readFileSync } from 'node:fs';

const MIN_LINES = Number(process.env.TESTPLAN_MIN_LINE_COVERAGE ?? 90);
const summary = JSON.parse(readFileSync('.tap/report/coverage-summary.json', 'utf8'));
const srcFiles = Object.entries(summary).filter(([file]) => file.includes('/src/'));
let covered = 0;
let total = 0;
for (const [, metrics] of srcFiles) {
  covered += metrics.lines.covered;
  total += metrics.lines.total;
}
const pct = total ? (100 * covered) / total : 0;
const line = `coverage of src/: ${pct.toFixed(2)}% lines (${covered}/${total} in ${srcFiles.length} files), bar ${MIN_LINES}%`;
if (pct < MIN_LINES) {
  console.error(`✖ ${line}`);
  process.exit(1);
}
console.log(`✔ ${line}`);
