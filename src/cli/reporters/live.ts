/** A redrawn view of the steps with their state and elapsed time, for terminals. */
import stringWidth from 'string-width';
import { stepOwner, stepSubject } from '../../compile/compile.js';
import type { Step } from '../../compile/graph.js';
import { formatDuration } from '../../dsl/duration.js';
import type { RunEvent } from '../../execute/events.js';
import { toPlainText } from '../../text/ansi.js';
import { interruptedLine, MARK, type ProgressOptions } from './console-options.js';

interface LiveStep {
  readonly step: Step;
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

const refKey = (kind: string, subject: string | undefined, forPhase: string | undefined): string =>
  `${kind}\0${subject ?? ''}\0${forPhase ?? ''}`;

/** Cuts `text` to `columns` screen columns (wide characters count two, combining marks zero). */
export function fitColumns(text: string, columns: number): string {
  if (stringWidth(text) <= columns) return text;
  let out = '';
  let used = 0;
  for (const { segment } of new Intl.Segmenter().segment(text)) {
    const w = stringWidth(segment);
    if (used + w > columns) break;
    out += segment;
    used += w;
  }
  return out;
}

const pad = (text: string, columns: number): string => text + ' '.repeat(Math.max(0, columns - stringWidth(text)));

export function liveProgress(
  options: ProgressOptions & { readonly columns: () => number; readonly steps?: readonly Step[] },
): {
  onEvent: (event: RunEvent) => void;
  stop: () => void;
} {
  const now = options.now ?? Date.now;
  const steps = new Map<string, LiveStep>();
  // A log line belongs to the step its event names (kind + subject), so a check and a phase of the same name never mix.
  const byRef = new Map<string, LiveStep>();
  const add = (live: LiveStep): void => {
    steps.set(live.step.id, live);
    byRef.set(refKey(live.step.kind, stepSubject(live.step), stepOwner(live.step)), live);
  };
  for (const step of options.steps ?? []) if (shown(step)) add({ step, state: 'waiting' });
  let drawn = 0;
  let frame = 0;
  const render = (): void => {
    const width = Math.max(40, options.columns());
    const lines = [...steps.values()].map((s) => {
      const elapsed = s.durationMs ?? (s.startedAt ? now() - s.startedAt : 0);
      const mark =
        s.state === 'running' ? SPINNER[frame % SPINNER.length] : s.state === 'waiting' ? '·' : MARK[s.state];
      const what = s.state === 'running' ? (LABEL[s.step.kind] ?? 'running') : s.state;
      const tail = toPlainText(s.state === 'running' ? (s.lastLine ?? '') : (s.message ?? '')).replace(
        /\s*\n\s*/g,
        ' ',
      );
      return fitColumns(
        `${mark} ${pad(s.step.id, 28)} ${pad(what, 18)} ${s.startedAt ? formatDuration(elapsed).padStart(7) : '       '}  ${tail}`,
        width - 1,
      );
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
          add({ step: event.step, state: 'running', startedAt: event.at });
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
          const step = event.step
            ? byRef.get(refKey(event.step.kind, event.step.subject, event.step.forPhase))
            : undefined;
          if (step) step.lastLine = event.line;
          if (options.verbosity === 'verbose') above(`[${event.source}] ${event.line}\n`);
          return;
        }
        case 'interrupted':
          above(interruptedLine(event));
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
