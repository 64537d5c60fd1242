/** Plain prefixed lines, one per event that matters: for CI logs and pipes. */
import { formatDuration } from '../../dsl/duration.js';
import type { RunEvent } from '../../execute/events.js';
import { interruptedLine, MARK, type ProgressOptions } from './console-options.js';

/** One line per event that matters; for CI logs and pipes. */
export function plainProgress(options: ProgressOptions): (event: RunEvent) => void {
  const { verbosity, write } = options;
  return (event) => {
    if (verbosity === 'quiet') return;
    switch (event.kind) {
      case 'run-started':
        write(`testplan: run ${event.runId} of ${event.plan} on ${event.driver}\n`);
        return;
      case 'step-started':
        if (verbosity === 'verbose' || ['run-phase', 'run-check', 'setup-service'].includes(event.step.kind))
          write(`▶ ${event.step.id}\n`);
        return;
      case 'step-finished':
        if (event.status === 'skipped' && !event.message) return;
        write(
          `${MARK[event.status]} ${event.step.id} ${event.status} ${formatDuration(event.durationMs)}${event.message ? ` — ${event.message}` : ''}\n`,
        );
        return;
      case 'log':
        if (verbosity === 'verbose' || event.step?.kind === 'run-phase') write(`[${event.source}] ${event.line}\n`);
        return;
      case 'phase-attempt':
        if (event.exitCode !== 0)
          write(
            `  ${event.phase}: attempt ${event.attempt} ${event.timedOut ? 'timed out' : `exited ${event.exitCode}`}\n`,
          );
        return;
      case 'interrupted':
        write(`\n${interruptedLine(event)}`);
        return;
    }
  };
}
