/** The report's tables: acceptance criteria, non-functional requirements, gates, phases, services. */
import type { CriterionResult } from '../../evidence/types.js';
import { formatDuration } from '../format-duration.js';
import type { PhaseResult, RunResults, ServiceResult } from '../results.js';
import { cell, cellLines, table } from './escape.js';
import { mark } from './status-marks.js';
import { cachedMark } from '../cache-mark.js';
import { formatMetric } from './summary.js';

export function acceptanceSection(results: RunResults): string {
  const functional = results.acceptance.filter((c) => c.kind === 'functional');
  const body =
    functional.length > 0 ? criteriaTable(functional) : '_The plan declares no functional acceptance criteria._';
  return `## Acceptance criteria\n\n${body}`;
}

export function nonFunctionalSection(results: RunResults): string {
  const nfr = results.acceptance.filter((c) => c.kind === 'non-functional');
  const body = nfr.length > 0 ? criteriaTable(nfr) : '_The plan declares no non-functional requirements._';
  return `## Non-functional requirements\n\n${body}`;
}

/** How many evidence lines a table cell shows; results.json has the rest. */
export const EVIDENCE_CELL_LINES = 3;

function criteriaTable(criteria: readonly CriterionResult[]): string {
  return table(
    ['ID', 'Requirement', 'Status', 'Evidence'],
    criteria.map((c) => [cell(c.id), cell(c.requirement), withReason(c.status, c.reason), evidenceCell(c.evidence)]),
  );
}

/** Every status but pass states its reason right in the table. */
function withReason(status: string, reason: string | undefined): string {
  return reason && status !== 'pass' ? `${mark(status)} — ${cell(reason)}` : mark(status);
}

/** A count and a few examples: a cell stays short whatever the number of matching tests. */
function evidenceCell(evidence: readonly string[]): string {
  if (evidence.length === 0) return 'no matching evidence';
  if (evidence.length <= EVIDENCE_CELL_LINES + 1) return cellLines(evidence);
  const rest = evidence.length - EVIDENCE_CELL_LINES;
  return `${cellLines(evidence.slice(0, EVIDENCE_CELL_LINES))}<br>… ${rest} more lines in results.json`;
}

export function gatesSection(results: RunResults): string {
  const own = results.gates.filter((g) => !g.implicit);
  const implicit = results.gates.filter((g) => g.implicit);
  const header = ['Gate', 'Threshold', 'Actual', 'Status'];
  const rows = (gates: typeof results.gates) =>
    gates.map((g) => [
      cell(g.name),
      cell(g.threshold),
      cell(g.actual),
      g.message ? `${mark(g.status)} — ${cell(g.message)}` : mark(g.status),
    ]);
  const body = own.length > 0 ? table(header, rows(own)) : '_The plan declares no quality gates._';
  const added =
    implicit.length > 0
      ? `\n\nChecks Testplan adds (not counted as the plan's gates; a failing one still fails the run):\n\n${table(header, rows(implicit))}`
      : '';
  return `## Quality gates\n\n${body}${added}`;
}

export function phasesSection(results: RunResults): string {
  if (results.phases.length === 0) return '## Phases\n\n_No phase ran._';
  const rows = results.phases.map((p) => [
    cell(p.name),
    cell(p.image),
    countCell(p, (c) => c.passed),
    countCell(p, (c) => c.failed + c.errored),
    countCell(p, (c) => c.skipped),
    p.coverage && p.coverage.lines.total > 0 ? `${formatMetric(p.coverage.lines)} lines` : '—',
    formatDuration(p.durationMs),
    phaseStatus(p),
  ]);
  const header = ['Phase', 'Image', 'Passed', 'Failed', 'Skipped', 'Coverage', 'Duration', 'Status'];
  const notes = results.phases.flatMap((p) => (p.unlisted ? [unlistedNote(p.name, p.unlisted)] : []));
  return [`## Phases\n\n${table(header, rows)}`, ...notes].join('\n\n');
}

/** results.json lists a big phase's failures only; say so, and where the full list is. */
export function unlistedNote(phase: string, unlisted: NonNullable<PhaseResult['unlisted']>): string {
  const failing = unlisted.failed + unlisted.errored;
  const what = [
    `${unlisted.passed} passing`,
    `${unlisted.skipped} skipped`,
    ...(failing > 0 ? [`${failing} more failing`] : []),
  ].join(', ');
  return `_Phase ${cell(phase)}: ${what} tests are listed as counts only; the full list is in the phase's own test report under \`phases/${cell(phase)}/\`._`;
}

function countCell(phase: PhaseResult, pick: (c: NonNullable<PhaseResult['counts']>) => number): string {
  return phase.counts ? String(pick(phase.counts)) : '—';
}

function phaseStatus(phase: PhaseResult): string {
  const notes: string[] = [];
  const last = phase.attempts[phase.attempts.length - 1];
  if (phase.cache?.status === 'hit' && phase.cache.from) notes.push(cell(cachedMark(phase.cache.from)));
  if (phase.attempts.length > 1) notes.push(`after ${phase.attempts.length} attempts`);
  if (last?.timedOut) notes.push('timed out');
  else if (last && last.exitCode !== null && last.exitCode !== 0) notes.push(`exit ${last.exitCode}`);
  return notes.length > 0 ? `${mark(phase.status)} (${notes.join(', ')})` : mark(phase.status);
}

/** `postgres`, or `postgres (for unit)` for a phase's own instance of a `scope: 'phase'` service. */
export function serviceName(service: { readonly name: string; readonly forPhase?: string | undefined }): string {
  return service.forPhase === undefined ? service.name : `${service.name} (for ${service.forPhase})`;
}

export function servicesSection(results: RunResults): string | undefined {
  if (results.services.length === 0) return undefined;
  const withSetup = results.services.some((s) => s.setup !== undefined);
  const rows = results.services.map((s: ServiceResult) => [
    cell(serviceName(s)),
    cell(s.image),
    s.readyMs === undefined ? '—' : formatDuration(s.readyMs),
    s.probes === undefined ? '—' : String(s.probes),
    ...(withSetup ? [setupCell(s)] : []),
    mark(s.status),
  ]);
  const headers = ['Service', 'Image', 'Ready in', 'Probes', ...(withSetup ? ['Setup'] : []), 'Status'];
  return `## Services\n\n${table(headers, rows)}`;
}

/** `4 commands in 1.2s`, or `command 2 of 4 failed after 0.3s`. */
function setupCell(s: ServiceResult): string {
  if (!s.setup) return '—';
  const { durationMs, commands, ran, passed } = s.setup;
  const plural = commands === 1 ? 'command' : 'commands';
  return passed
    ? `${commands} ${plural} in ${formatDuration(durationMs)}`
    : `command ${ran} of ${commands} failed after ${formatDuration(durationMs)}`;
}
