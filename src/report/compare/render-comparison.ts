/** "Since baseline": the comparison with another run, short at any scale (lists capped, counts whole). */
import { formatDuration } from '../format-duration.js';
import { cell, code, table } from '../markdown/escape.js';
import { mark } from '../markdown/status-marks.js';
import { formatTimestamp } from '../markdown/summary.js';
import type { BaselineComparison, RunResults } from '../results.js';
import { compareRuns } from './compare-runs.js';

/** Entries each part shows; results.json lists up to 200, the counts are whole. */
export const SHOWN = 10;

export function comparisonSection(c: BaselineComparison, heading = '## Since baseline'): string {
  const commit = c.git ? `, commit ${code(c.git.commit.slice(0, 12))}${c.git.dirty ? ' (dirty)' : ''}` : '';
  const parts = [
    `${heading}\n\nCompared with run ${code(c.runId)} of ${formatTimestamp(c.startedAt)}${commit} (${cell(c.chosenBy)}).`,
    summaryLine(c),
    tests('New failures', c.newFailures, true),
    tests('Fixed', c.fixed),
    tests('Tests added', c.added),
    tests('Tests removed', c.removed),
    flaky(c.flaky),
    coverage(c.coverage),
    durations(c.durations),
    statusChanges(c.statusChanges),
    ...c.notes.map((n) => `_${cell(n)}_`),
  ];
  return parts.filter((p): p is string => p !== undefined).join('\n\n');
}

function summaryLine(c: BaselineComparison): string {
  const coverage = c.coverage?.lines.delta;
  const bits = [
    `${c.newFailures.count} new failures`,
    `${c.fixed.count} fixed`,
    `${c.added.count} tests added`,
    `${c.removed.count} removed`,
    `${c.flaky.retried.length + c.flaky.flippingCount} flaky`,
    ...(coverage === undefined || coverage === null ? [] : [`line coverage ${signed(coverage)} pts`]),
    `${c.statusChanges.length} gate/criterion status changes`,
  ];
  return `**${bits.join(' · ')}**`;
}

const more = (count: number, shown: number): string[] => (count > shown ? [`- … and ${count - shown} more`] : []);

function tests(title: string, diff: BaselineComparison['newFailures'], withMessage = false): string | undefined {
  if (diff.count === 0) return undefined;
  const lines = diff.listed
    .slice(0, SHOWN)
    .map((t) => `- ${code(t.phase)} ${cell(t.test)}${withMessage && t.message ? ` — ${cell(t.message)}` : ''}`);
  return [`**${title}** (${diff.count}):`, '', ...lines, ...more(diff.count, Math.min(SHOWN, diff.listed.length))].join(
    '\n',
  );
}

function flaky(f: BaselineComparison['flaky']): string | undefined {
  if (f.retried.length === 0 && f.flippingCount === 0) return undefined;
  const lines = [
    ...f.retried.slice(0, SHOWN).map((r) => `- phase ${code(r.phase)} passed on attempt ${r.attempts}`),
    ...more(f.retried.length, SHOWN),
    ...f.flipping.slice(0, SHOWN).map((t) => `- ${code(t.phase)} ${cell(t.test)}: ${t.outcomes} (oldest first)`),
    ...more(f.flippingCount, Math.min(SHOWN, f.flipping.length)),
  ];
  return [
    `**Flaky** (retried in this run, or passing and failing by turns over the last ${f.window} runs):`,
    '',
    ...lines,
  ].join('\n');
}

const signed = (n: number): string => (n > 0 ? `+${n.toFixed(2)}` : n.toFixed(2));
const percent = (n: number | null): string => (n === null ? '—' : `${n.toFixed(2)}%`);

function coverage(c: BaselineComparison['coverage']): string | undefined {
  if (c === undefined) return undefined;
  const rows = [c.lines, ...c.files.slice(0, SHOWN)].map((f) => [
    f === c.lines ? '**all files**' : cell(f.path),
    percent(f.before),
    percent(f.after),
    f.delta === null ? (f.before === null ? 'new' : 'gone') : signed(f.delta),
  ]);
  const rest = c.changedFiles - Math.min(SHOWN, c.files.length);
  return [
    c.changedFiles > 0
      ? `**Line coverage** (files whose coverage changed: ${c.changedFiles}, biggest drops first):`
      : '**Line coverage** (no file changed its coverage, or a run recorded no per-file figures):',
    '',
    table(['File', 'Before', 'After', 'Δ pts'], rows),
    ...(rest > 0 ? ['', `_… and ${rest} more files._`] : []),
  ].join('\n');
}

function durations(d: BaselineComparison['durations']): string | undefined {
  if (d.length === 0) return undefined;
  const rows = d
    .slice(0, SHOWN)
    .map((p) => [
      cell(p.phase),
      formatDuration(p.beforeMs),
      formatDuration(p.afterMs),
      `${p.deltaMs >= 0 ? '+' : '−'}${formatDuration(Math.abs(p.deltaMs))}`,
    ]);
  return [
    '**Phase durations** (slowest regressions first):',
    '',
    table(['Phase', 'Before', 'After', 'Δ'], rows),
    ...(d.length > SHOWN ? ['', `_… and ${d.length - SHOWN} more phases._`] : []),
  ].join('\n');
}

function statusChanges(s: BaselineComparison['statusChanges']): string | undefined {
  if (s.length === 0) return undefined;
  const rows = s.slice(0, SHOWN).map((c) => [c.kind, cell(c.name), statusCell(c.before), statusCell(c.after)]);
  return [
    '**Gates and criteria whose status changed:**',
    '',
    table(['Kind', 'Name', 'Before', 'After'], rows),
    ...(s.length > SHOWN ? ['', `_… and ${s.length - SHOWN} more._`] : []),
  ].join('\n');
}

const statusCell = (status: string): string => (status === 'absent' ? '—' : mark(status));

/** A whole markdown document comparing two runs (`plan report --compare`). */
export function renderComparison(current: RunResults, baseline: RunResults, chosenBy: string): string {
  const c = compareRuns(current, baseline, { chosenBy });
  const title = `# ${cell(current.plan.name)}: run ${code(current.runId)} compared with ${code(baseline.runId)}`;
  return `${title}\n\n${comparisonSection(c)}\n`;
}
