/** The failures section: failing steps, services that never became ready, failing phases and tests, log tails. */
import { testLabel } from '../../evidence/format.js';
import type { TestCase } from '../../evidence/types.js';
import { toPlainText } from '../ansi.js';
import type { PhaseResult, RunResults, ServiceResult, StepTiming } from '../results.js';
import { text, type Block } from './blocks.js';
import { code } from './escape.js';
import { mark } from './status-marks.js';

export function failureBlocks(results: RunResults): Block[] {
  const blocks: Block[] = [];
  for (const step of orphanFailedSteps(results)) blocks.push(...stepBlocks(step));
  for (const service of results.services.filter((s) => s.status === 'not-ready' || s.status === 'exited')) blocks.push(...serviceBlocks(service));
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
    const about = step.kind === 'run-phase' || step.kind === 'collect-artifacts' || step.kind.endsWith('service') || step.kind === 'wait-ready';
    return !(about && step.subject !== undefined && explained.has(step.subject));
  });
}

function stepBlocks(step: StepTiming): Block[] {
  const blocks: Block[] = [text(`### Step ${code(step.id)} — ${mark(step.status)}`)];
  if (step.message) blocks.push(messageBlock(step.message, `message of step ${step.id}`));
  return blocks;
}

function serviceBlocks(service: ServiceResult): Block[] {
  const blocks: Block[] = [text(`### Service ${code(service.name)} — ${mark(service.status)}`)];
  if (service.message) blocks.push(messageBlock(service.message, `message of service ${service.name}`));
  blocks.push(...logTailBlocks(service.logTail, `service ${service.name}`));
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
    blocks.push(text(`**Failing tests (${phase.failures.length})**`));
    blocks.push({
      kind: 'lines',
      label: `failing tests of phase ${phase.name}`,
      lines: phase.failures.map(failureLine),
      keep: 'head',
      fenced: false,
    });
    const more = phase.unlisted ? phase.unlisted.failed + phase.unlisted.errored : 0;
    if (more > 0) blocks.push(text(`_… and ${more} more failing tests, counted but not listed: see the phase's own test report under \`phases/${phase.name}/\`._`));
    for (const test of phase.failures.filter((f) => f.details)) {
      blocks.push(text(`Details of ${code(testLabel(test))}:`));
      blocks.push({
        kind: 'lines',
        label: `details of ${testLabel(test)}`,
        lines: toPlainText(test.details ?? '').split('\n'),
        keep: 'head',
        fenced: true,
      });
    }
  }
  blocks.push(...logTailBlocks(phase.logTail, `phase ${phase.name}`));
  return blocks;
}

function failureLine(test: TestCase): string {
  const file = test.file ? ` (${code(test.file)})` : '';
  const message = test.message ? ` — ${oneLine(test.message)}` : '';
  return `- ${mark(test.status === 'error' ? 'error' : 'fail')} ${code(testLabel(test))}${file}${message}`;
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
  return toPlainText(value).replace(/\s*\n\s*/g, ' ').trim();
}
