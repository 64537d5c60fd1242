/**
 * Keeps the output of each phase's latest attempt while it runs, so that a passing phase's entry can
 * hold its log (restored as `phases/<phase>/log.txt`, and read again by `results: { text }` phases).
 * Bounded: past MAX_LOG_CHARS only the count of further lines is kept.
 */
import type { RunEvent } from '../execute/events.js';

export const MAX_LOG_CHARS = 8 * 1024 * 1024;

interface Kept {
  attempt: number;
  lines: string[];
  chars: number;
  dropped: number;
}

export interface CapturedLog {
  readonly lines: readonly string[];
  /** Lines left out past the bound. */
  readonly dropped: number;
}

export class LogCapture {
  private readonly kept = new Map<string, Kept>();

  constructor(private readonly phases: ReadonlySet<string>) {}

  readonly onEvent = (event: RunEvent): void => {
    if (event.kind !== 'log' || event.step?.kind !== 'run-phase' || !this.phases.has(event.step.subject)) return;
    const attempt = event.step.attempt ?? 1;
    let k = this.kept.get(event.step.subject);
    if (!k || k.attempt !== attempt)
      this.kept.set(event.step.subject, (k = { attempt, lines: [], chars: 0, dropped: 0 }));
    if (k.chars + event.line.length > MAX_LOG_CHARS) k.dropped++;
    else {
      k.lines.push(event.line);
      k.chars += event.line.length + 1;
    }
  };

  of(phase: string): CapturedLog {
    const k = this.kept.get(phase);
    return { lines: k?.lines ?? [], dropped: k?.dropped ?? 0 };
  }
}
