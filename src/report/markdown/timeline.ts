/** A mermaid gantt chart of the run's steps, on a time axis relative to the run's start. */
import type { RunResults, StepTiming } from '../results.js';

interface TimedStep {
  readonly step: StepTiming;
  readonly start: number;
  readonly end: number;
}

export function timelineSection(results: RunResults): string | undefined {
  const runStart = Date.parse(results.startedAt);
  if (Number.isNaN(runStart)) return undefined;
  const timed = results.steps.flatMap((step) => timed1(step, runStart));
  if (timed.length === 0) return undefined;
  // Under an hour, offsets from the run's start read as an elapsed mm:ss clock (epoch-based, so
  // whole-hour time zones cannot shift it); longer runs use wall-clock times in the reader's zone.
  const elapsed = Math.max(...timed.map((t) => t.end)) < 3_600_000;
  const base = elapsed ? 0 : runStart;
  const lines = [
    '```mermaid',
    'gantt',
    `  title Run timeline (${elapsed ? 'elapsed since start' : 'local time'})`,
    '  dateFormat x',
    `  axisFormat ${elapsed ? '%M:%S' : '%H:%M:%S'}`,
    '  todayMarker off',
  ];
  for (const [section, steps] of bySection(timed)) {
    lines.push(`  section ${taskText(section)}`);
    for (const t of steps)
      lines.push(`  ${taskText(taskName(t.step))} :${tag(t.step)}${base + t.start}, ${base + t.end}`);
  }
  lines.push('```');
  return `## Timeline\n\n${lines.join('\n')}`;
}

function timed1(step: StepTiming, runStart: number): TimedStep[] {
  if (!step.startedAt) return [];
  const started = Date.parse(step.startedAt);
  if (Number.isNaN(started)) return [];
  const finished = step.finishedAt ? Date.parse(step.finishedAt) : Number.NaN;
  const endAbs = Number.isNaN(finished) ? started + (step.durationMs ?? 0) : finished;
  const start = Math.max(0, started - runStart);
  // Mermaid draws nothing for an empty bar.
  return [{ step, start, end: Math.max(start + 1, endAbs - runStart) }];
}

function bySection(steps: readonly TimedStep[]): Map<string, TimedStep[]> {
  const sections = new Map<string, TimedStep[]>();
  for (const t of steps) {
    const list = sections.get(t.step.kind) ?? [];
    list.push(t);
    sections.set(t.step.kind, list);
  }
  return sections;
}

function taskName(step: StepTiming): string {
  if (step.subject !== undefined && step.forPhase !== undefined) return `${step.subject} (for ${step.forPhase})`;
  return step.subject ?? step.id;
}

function tag(step: StepTiming): string {
  if (step.status === 'failed') return 'crit, ';
  if (step.status === 'passed') return 'done, ';
  return '';
}

/** Mermaid gantt treats `:` `;` `#` as syntax; replace them and keep one line. */
function taskText(value: string): string {
  const cleaned = value.replace(/[:;#]/g, ' ').replace(/\s+/g, ' ').trim();
  return cleaned.length > 0 ? cleaned : 'step';
}
