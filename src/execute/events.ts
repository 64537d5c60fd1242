/** A run is a stream of events; the progress display and the run log are consumers. */
import type { Step } from '../compile/graph.js';
import type { Redact } from '../dsl/redactor.js';

export type StepStatus = 'passed' | 'failed' | 'skipped' | 'cancelled';

export type RunEvent =
  | { readonly kind: 'run-started'; readonly runId: string; readonly plan: string; readonly driver: string; readonly at: number }
  | { readonly kind: 'step-started'; readonly step: Step; readonly at: number }
  | {
      readonly kind: 'step-finished';
      readonly step: Step;
      readonly status: StepStatus;
      readonly at: number;
      readonly durationMs: number;
      readonly message?: string;
    }
  | { readonly kind: 'log'; readonly source: string; readonly line: string; readonly stream: 'stdout' | 'stderr' }
  | { readonly kind: 'phase-attempt'; readonly phase: string; readonly attempt: number; readonly exitCode: number | null; readonly timedOut: boolean }
  | { readonly kind: 'interrupted'; readonly signal: string; readonly force: boolean };

export type EventSink = (event: RunEvent) => void;

/** The event with its free text (log lines, step messages) masked; names and ids are left as they are. */
export function redactEvent(event: RunEvent, redact: Redact): RunEvent {
  switch (event.kind) {
    case 'log':
      return { ...event, line: redact(event.line) };
    case 'step-finished':
      return event.message === undefined ? event : { ...event, message: redact(event.message) };
    default:
      return event;
  }
}
