/** The failures section: failing steps, services that never became ready, failing phases and tests, log tails. */
import { testLabel } from '../../evidence/format.js';
import type { TestCase } from '../../evidence/types.js';
import { toPlainText } from '../../text/ansi.js';
import { runnerErrorLines } from '../../text/error-lines.js';
import type { PhaseResult, RunResults, ServiceResult, StepTiming } from '../results.js';
import { text, type Block } from './blocks.js';
import { code } from './escape.js';
import { mark } from './status-marks.js';
import { serviceName } from './tables.js';

export function failureBlocks(results: RunResults): Block[] {
  const blocks: Block[] = [];
  for (const step of orphanFailedSteps(results)) blocks.push(...stepBlocks(step));
  for (const service of results.services.filter((s) => s.status === 'not-ready' || s.status === 'exited'))
    blocks.push(...serviceBlocks(service));
  for (const phase of results.phases.filter(phaseNeedsDetail)) blocks.push(...phaseBlocks(phase));
  return blocks.length > 0 ? [text('## Failures'), ...blocks] : [];
}

function phaseNeedsDetail(phase: PhaseResult): boolean {
  const ok = phase.status === 'passed' || phase.status === 'skipped';
  return !ok || phase.failures.length > 0 || phase.errors.length > 0;
}

/** Failed steps whose phase or service does not already explain them (image builds, networks, checks). */
function orphanFailedSteps(results: RunResults): StepTiming[] {
  const explained = new Set([
    ...results.phases.filter(phaseNeedsDetail).map((p) => p.name),
    ...results.services.filter((s) => s.status === 'not-ready' || s.status === 'exited').map((s) => s.name),
  ]);
  return results.steps.filter((step) => {
    if (step.status !== 'failed') return false;
    const about =
      step.kind === 'run-phase' ||
      step.kind === 'collect-artifacts' ||
      step.kind.endsWith('service') ||
      step.kind === 'wait-ready';
    return !(about && step.subject !== undefined && explained.has(step.subject));
  });
}

function stepBlocks(step: StepTiming): Block[] {
  const blocks: Block[] = [text(`### Step ${code(step.id)} — ${mark(step.status)}`)];
  if (step.message) blocks.push(messageBlock(step.message, `message of step ${step.id}`));
  return blocks;
}

function serviceBlocks(service: ServiceResult): Block[] {
  const name = serviceName(service);
  const blocks: Block[] = [text(`### Service ${code(name)} — ${mark(service.status)}`)];
  if (service.message) blocks.push(messageBlock(service.message, `message of service ${name}`));
  blocks.push(...logTailBlocks(service.logTail, `service ${name}`));
  return blocks;
}

function phaseBlocks(phase: PhaseResult): Block[] {
  const blocks: Block[] = [text(`### Phase ${code(phase.name)} — ${mark(phase.status)}`)];
  if (phase.message) blocks.push(messageBlock(phase.message, `message of phase ${phase.name}`));
  if (phase.errors.length > 0) {
    const lines = phase.errors.map((e) => `- evidence from ${code(e.file)} could not be read: ${oneLine(e.message)}`);
    blocks.push(text(lines.join('\n')));
  }
  if (phase.failures.length > 0) {
    blocks.push(text(`**Failing tests (${phase.failures.length})**, grouped by message:`));
    for (const group of groupByCause(phase.failures)) blocks.push(...causeBlocks(phase.name, group));
    const more = phase.unlisted ? phase.unlisted.failed + phase.unlisted.errored : 0;
    if (more > 0)
      blocks.push(
        text(
          `_… and ${more} more failing tests, counted but not listed: see the phase's own test report under \`phases/${phase.name}/\`._`,
        ),
      );
  }
  // A short log is shown whole; a long one is quoted by its error lines and its last few lines.
  const errorLines =
    failedWithoutFailingTests(phase) && phase.logTail.length > SHORT_TAIL
      ? (phase.errorLines ?? runnerErrorLines(phase.logTail))
      : [];
  if (errorLines.length > 0) {
    blocks.push(
      text(
        `The runner's error lines (from its whole output; the last ${phase.logTail.length} log lines are in results.json):`,
      ),
    );
    blocks.push({
      kind: 'lines',
      label: `error lines of phase ${phase.name}`,
      lines: errorLines,
      keep: 'head',
      fenced: true,
    });
    blocks.push(...logTailBlocks(phase.logTail.slice(-SHORT_TAIL), `phase ${phase.name}`));
  } else {
    blocks.push(...logTailBlocks(phase.logTail, `phase ${phase.name}`));
  }
  return blocks;
}

/** With the runner's error lines quoted, the log tail shrinks to its last lines. */
const SHORT_TAIL = 10;

/** A non-zero exit although every test read passed: the runner's own check (coverage threshold) or a crash after the tests. */
export function failedWithoutFailingTests(phase: PhaseResult): boolean {
  const last = phase.attempts[phase.attempts.length - 1];
  const exitedBadly = last !== undefined && !last.timedOut && last.exitCode !== null && last.exitCode !== 0;
  return exitedBadly && phase.counts !== undefined && phase.counts.failed + phase.counts.errored === 0;
}

/** Tests listed per cause before `… and N more`; results.json and junit.xml keep every one. */
export const MAX_TESTS_PER_CAUSE = 10;

interface Cause {
  readonly message: string;
  readonly tests: readonly TestCase[];
}

/** Failures with the same one-line message are one cause: 95 tests failing on one error read as one group. */
export function groupByCause(failures: readonly TestCase[]): Cause[] {
  const groups = new Map<string, TestCase[]>();
  for (const test of failures) {
    const key = test.message ? oneLine(test.message) : '';
    groups.set(key, [...(groups.get(key) ?? []), test]);
  }
  return [...groups].map(([message, tests]) => ({ message, tests }));
}

function causeBlocks(phase: string, cause: Cause): Block[] {
  const n = cause.tests.length;
  const what = cause.message ? `> ${cause.message}` : '> (no message)';
  const listed = cause.tests.slice(0, MAX_TESTS_PER_CAUSE).map(failureLine);
  const more =
    n > MAX_TESTS_PER_CAUSE
      ? [`- … and ${n - MAX_TESTS_PER_CAUSE} more (all of them in results.json and junit.xml)`]
      : [];
  const blocks: Block[] = [
    text(`${n} test${n === 1 ? '' : 's'} failed with:\n\n${what}`),
    {
      kind: 'lines',
      label: `failing tests of phase ${phase}`,
      lines: [...listed, ...more],
      keep: 'head',
      fenced: false,
    },
  ];
  const detailed = cause.tests.find((t) => t.details);
  if (detailed) {
    blocks.push(text(`Details of ${code(testLabel(detailed))}${n > 1 ? ' (the first of this group)' : ''}:`));
    blocks.push({
      kind: 'lines',
      label: `details of ${testLabel(detailed)}`,
      lines: toPlainText(detailed.details ?? '').split('\n'),
      keep: 'head',
      fenced: true,
    });
  }
  return blocks;
}

function failureLine(test: TestCase): string {
  const file = test.file ? ` (${code(test.file)})` : '';
  return `- ${mark(test.status === 'error' ? 'error' : 'fail')} ${code(testLabel(test))}${file}`;
}

function logTailBlocks(logTail: readonly string[], subject: string): Block[] {
  if (logTail.length === 0) return [text(`_No log output from ${subject}._`)];
  return [
    text(`Last ${logTail.length} log line${logTail.length === 1 ? '' : 's'} of ${subject}:`),
    { kind: 'lines', label: `log tail of ${subject}`, lines: logTail.map(toPlainText), keep: 'tail', fenced: true },
  ];
}

function messageBlock(message: string, label: string): Block {
  const lines = toPlainText(message).split('\n');
  if (lines.length === 1) return text(`> ${lines[0]}`);
  return { kind: 'lines', label, lines, keep: 'head', fenced: true };
}

function oneLine(value: string): string {
  return toPlainText(value)
    .replace(/\s*\n\s*/g, ' ')
    .trim();
}
