/** Front matter, title, run banner and the summary list. */
import { selectionNotes } from '../../compile/select.js';
import { COVERAGE_METRICS } from '../../evidence/coverage-metrics.js';
import { stringify } from 'yaml';
import { formatPercent } from '../../evidence/format.js';
import type { CoverageSummary, MetricTotals } from '../../evidence/types.js';
import { formatDuration } from '../format-duration.js';
import type { Outcome } from '../outcome.js';
import type { RunResults } from '../results.js';
import { code } from './escape.js';
import { mark } from './status-marks.js';
import { toPlainText } from '../../text/ansi.js';

export function frontMatter(outcome: Outcome): string {
  const data = {
    status: outcome.status,
    acceptance_passed: outcome.acceptancePassed,
    acceptance_total: outcome.acceptanceTotal,
    quality_gates: outcome.gateGroups,
  };
  return `---\n${stringify(data).trimEnd()}\n---`;
}

export function title(results: RunResults): string {
  return `# Test report: ${toPlainText(results.plan.name)}`;
}

/** Error and interrupted runs say so first, with the message; an overruled verdict says why. */
export function banner(results: RunResults, outcome: Outcome): string | undefined {
  const message = results.message ? ` ${oneLine(results.message)}` : '';
  if (outcome.status === 'error') return `> **${mark('error')} — the run could not complete:**${message}`;
  if (outcome.status === 'interrupted')
    return `> **${mark('interrupted')} — the run was stopped before it finished:**${message}`;
  if (outcome.overruled) return `> **${mark('failed')}**: results.json recorded \`passed\`, but ${outcome.overruled}.`;
  return undefined;
}

export function summaryList(results: RunResults, outcome: Outcome): string {
  const items: [string, string][] = [
    ['Status', `${mark(outcome.status)} (exit ${results.exitCode})`],
    ['Plan', `${code(results.plan.name)} — ${code(results.plan.file)}`],
    ['Run', code(results.runId)],
    ['Commit', commitText(results)],
    ['Driver', `${toPlainText(results.driver.kind)} (${oneLine(results.driver.engine)})`],
    ['Started', formatTimestamp(results.startedAt)],
    ['Duration', formatDuration(results.durationMs)],
    ['Tests', testsText(results)],
    ['Coverage', coverageText(results.coverage)],
  ];
  if (results.selection.phases.length > 0 || results.selection.profiles.length > 0) {
    items.push(['Selection', selectionText(results)]);
  }
  const description = results.plan.description ? `${oneLine(results.plan.description)}\n\n` : '';
  const warnings = (results.warnings ?? []).map((w) => `- ⚠ ${oneLine(w)}`);
  const warningList = warnings.length > 0 ? `\n\n**Evidence warnings:**\n\n${warnings.join('\n')}` : '';
  return `${description}## Summary\n\n${items.map(([k, v]) => `- **${k}:** ${v}`).join('\n')}${warningList}`;
}

function commitText(results: RunResults): string {
  if (!results.git) return 'unknown (not a git checkout)';
  const dirty = results.git.dirty ? ' with uncommitted changes (dirty)' : ' (clean)';
  const branch = results.git.branch ? ` on ${code(results.git.branch)}` : '';
  return `${code(results.git.commit.slice(0, 12))}${branch}${dirty}`;
}

function testsText(results: RunResults): string {
  const c = results.tests;
  const unread = results.phases.filter((p) => p.counts === undefined && p.errors.length > 0).map((p) => code(p.name));
  const missing = unread.length > 0 ? ` — not counted: ${unread.join(', ')} (results could not be read)` : '';
  return `${c.total} total: ${c.passed} passed, ${c.failed} failed, ${c.errored} errored, ${c.skipped} skipped${missing}`;
}

/** Only metrics the tools measured: lcov has no statements, so no statements figure. */
export function coverageText(coverage: CoverageSummary | undefined): string {
  if (!coverage) return 'not reported';
  const measured = COVERAGE_METRICS.filter((m) => coverage[m].total > 0);
  if (measured.length === 0) return 'nothing measured';
  return measured.map((m) => `${m} ${formatMetric(coverage[m])}`).join(' · ');
}

/** The one rounding rule (`formatPercent`, the gates' own), from the counts: the summary and a gate never disagree. */
export function formatMetric(metric: MetricTotals | undefined): string {
  return metric === undefined || metric.total === 0 ? 'n/a' : formatPercent(metric.covered, metric.total);
}

function selectionText(results: RunResults): string {
  const parts: string[] = [];
  if (results.selection.phases.length > 0) parts.push(`phases ${results.selection.phases.map(code).join(', ')}`);
  if (results.selection.profiles.length > 0) parts.push(`profiles ${results.selection.profiles.map(code).join(', ')}`);
  const notes = selectionNotes({
    requested: results.selection.requested ?? [],
    pulledIn: results.selection.pulledIn ?? [],
    notRun: results.selection.notRun ?? [],
  });
  return [...parts, ...notes.map(oneLine)].join('; ');
}

/** `2026-11-25 20:01:02 UTC`: deterministic, whatever the reader's time zone. */
export function formatTimestamp(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return oneLine(iso);
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

function oneLine(text: string): string {
  return toPlainText(text)
    .replace(/\s*\n\s*/g, ' ')
    .trim();
}
