/**
 * Consumers of the run's event stream: a live view of the steps on a TTY, plain prefixed lines
 * elsewhere, and the run log file. Events are already redacted by the executor.
 */
import type { Step } from '../compile/graph.js';
import type { RunEvent } from '../execute/events.js';
import { formatDuration } from '../dsl/duration.js';

export type Verbosity = 'quiet' | 'normal' | 'verbose';

export interface ProgressOptions {
  readonly verbosity: Verbosity;
  /** Sources whose log lines are phase output (shown by default); others (builds, services) only with --verbose. */
  readonly phaseSources: ReadonlySet<string>;
  readonly write: (text: string) => void;
  readonly now?: () => number;
}

const MARK = { passed: '✔', failed: '✖', skipped: '○', cancelled: '⊘' } as const;

/** One line per event that matters; for CI logs and pipes. */
export function plainProgress(options: ProgressOptions): (event: RunEvent) => void {
  const { verbosity, phaseSources, write } = options;
  return (event) => {
    if (verbosity === 'quiet') return;
    switch (event.kind) {
      case 'run-started':
        write(`testplan: run ${event.runId} of ${event.plan} on ${event.driver}\n`);
        return;
      case 'step-started':
        if (verbosity === 'verbose' || event.step.kind === 'run-phase' || event.step.kind === 'run-check') write(`▶ ${event.step.id}\n`);
        return;
      case 'step-finished':
        if (event.status === 'skipped' && !event.message) return;
        write(`${MARK[event.status]} ${event.step.id} ${event.status} ${formatDuration(event.durationMs)}${event.message ? ` — ${event.message}` : ''}\n`);
        return;
      case 'log':
        if (verbosity === 'verbose' || phaseSources.has(event.source)) write(`[${event.source}] ${event.line}\n`);
        return;
      case 'phase-attempt':
        if (event.exitCode !== 0) write(`  ${event.phase}: attempt ${event.attempt} ${event.timedOut ? 'timed out' : `exited ${event.exitCode}`}\n`);
        return;
      case 'interrupted':
        write(`\ntestplan: ${event.signal} — ${event.force ? 'forcing cleanup now' : 'stopping, cleaning up (press Ctrl-C again to force)'}\n`);
        return;
    }
  };
}

interface LiveStep {
  readonly id: string;
  state: 'waiting' | 'running' | 'passed' | 'failed' | 'skipped' | 'cancelled';
  startedAt?: number;
  durationMs?: number;
  lastLine?: string;
  message?: string;
}

/** Plumbing steps (network, teardown) stay out of the live view. */
const shown = (step: Step): boolean => !['stop-service', 'remove-network', 'create-network'].includes(step.kind);

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const LABEL: Record<string, string> = {
  'build-image': 'building',
  'start-service': 'starting',
  'wait-ready': 'waiting for ready',
  'run-phase': 'running',
  'run-check': 'running',
  'collect-artifacts': 'collecting',
};

/** A redrawn view of steps with their state and elapsed time, for terminals. */
export function liveProgress(options: ProgressOptions & { readonly columns: () => number; readonly steps?: readonly Step[] }): {
  onEvent: (event: RunEvent) => void;
  stop: () => void;
} {
  const now = options.now ?? Date.now;
  const steps = new Map<string, LiveStep>();
  for (const step of options.steps ?? []) if (shown(step)) steps.set(step.id, { id: step.id, state: 'waiting' });
  let drawn = 0;
  let frame = 0;
  const render = (): void => {
    const width = Math.max(40, options.columns());
    const lines = [...steps.values()].map((s) => {
      const elapsed = s.durationMs ?? (s.startedAt ? now() - s.startedAt : 0);
      const mark = s.state === 'running' ? SPINNER[frame % SPINNER.length] : s.state === 'waiting' ? '·' : MARK[s.state];
      const what = s.state === 'running' ? (LABEL[s.id.split(':')[0]!] ?? 'running') : s.state;
      const tail = s.state === 'running' ? (s.lastLine ?? '') : (s.message ?? '');
      return `${mark} ${s.id.padEnd(28)} ${what.padEnd(18)} ${s.startedAt ? formatDuration(elapsed).padStart(7) : '       '}  ${tail}`.slice(0, width - 1);
    });
    options.write(`${drawn ? `\x1b[${drawn}A` : ''}${lines.map((l) => `\x1b[2K${l}\n`).join('')}`);
    drawn = lines.length;
    frame++;
  };
  const timer = setInterval(render, 100);
  timer.unref();
  const above = (text: string): void => {
    options.write(`${drawn ? `\x1b[${drawn}A\x1b[0J` : ''}${text}`);
    drawn = 0;
    render();
  };
  return {
    onEvent(event) {
      switch (event.kind) {
        case 'step-started': {
          if (!shown(event.step)) return;
          steps.set(event.step.id, { id: event.step.id, state: 'running', startedAt: event.at });
          return;
        }
        case 'step-finished': {
          const step = steps.get(event.step.id);
          if (!step) return;
          step.state = event.status;
          step.durationMs = event.durationMs;
          if (event.message) step.message = event.message;
          return;
        }
        case 'log': {
          const step = steps.get(`run-phase:${event.source}`) ?? steps.get(`wait-ready:${event.source}`) ?? steps.get(`build-image:${event.source.replace(/^image /, '')}`);
          if (step) step.lastLine = event.line;
          if (options.verbosity === 'verbose') above(`[${event.source}] ${event.line}\n`);
          return;
        }
        case 'interrupted':
          above(`testplan: ${event.signal} — ${event.force ? 'forcing cleanup now' : 'stopping, cleaning up (press Ctrl-C again to force)'}\n`);
          return;
        default:
          return;
      }
    },
    stop() {
      clearInterval(timer);
      render();
    },
  };
}

/** The run log: every event as one line, for people reading what happened afterwards. */
export function runLogLine(event: RunEvent, at: number): string {
  const time = new Date(at).toISOString();
  switch (event.kind) {
    case 'log':
      return `${time} [${event.source}] ${event.line}\n`;
    case 'step-started':
      return `${time} start ${event.step.id}\n`;
    case 'step-finished':
      return `${time} ${event.status} ${event.step.id} ${event.durationMs}ms${event.message ? ` ${event.message}` : ''}\n`;
    case 'phase-attempt':
      return `${time} attempt ${event.phase}#${event.attempt} exit=${event.exitCode} timedOut=${event.timedOut}\n`;
    case 'run-started':
      return `${time} run ${event.runId} plan=${event.plan} driver=${event.driver}\n`;
    case 'interrupted':
      return `${time} interrupted by ${event.signal}${event.force ? ' (forced)' : ''}\n`;
  }
}
