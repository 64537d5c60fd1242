/** The two reporters for people: `live` (a redrawn view, for terminals) and `plain` (lines, for logs). Both end with the outcome on stdout. */
import { liveProgress } from './live.js';
import { plainProgress } from './plain.js';
import { outcomeLines } from './print-outcome.js';
import type { Reporter, ReporterFactory, RunFinished, RunStart } from './reporter.js';
import type { CommandContext } from '../context.js';

function printOutcome(ctx: CommandContext, start: RunStart, { results, written, kept }: RunFinished): void {
  const lines = outcomeLines(results, written, kept ? { run: start.run, driver: start.driver } : undefined);
  ctx.stdout(`${lines.join('\n')}\n`);
}

export const plainReporter: ReporterFactory = (ctx, start): Reporter => {
  const onEvent = plainProgress({ verbosity: start.verbosity, write: ctx.stderr });
  return { onEvent, onFinished: (finished) => printOutcome(ctx, start, finished) };
};

export const liveReporter: ReporterFactory = (ctx, start): Reporter => {
  // --quiet wants only the verdict: nothing redrawn.
  const live =
    start.verbosity === 'quiet'
      ? undefined
      : liveProgress({
          verbosity: start.verbosity,
          write: ctx.stderr,
          columns: ctx.columns,
          steps: start.steps,
        });
  let stopped = false;
  const stop = (): void => {
    if (!stopped) live?.stop();
    stopped = true;
  };
  return {
    onEvent: (event) => live?.onEvent(event),
    onFinished: (finished) => {
      stop();
      printOutcome(ctx, start, finished);
    },
    close: stop,
  };
};
