/** The reporters `--reporter` can name (names.ts), each with its implementation. */
import type { CommandContext } from '../context.js';
import { liveReporter, plainReporter } from './console-reporters.js';
import { githubReporter } from './github-reporter.js';
import { jsonReporter } from './json-reporter.js';
import type { Reporter, ReporterFactory, RunFinished, RunStart } from './reporter.js';
import type { RunEvent } from '../../execute/events.js';
import type { ReporterName } from './names.js';

export const REPORTERS = {
  live: liveReporter,
  plain: plainReporter,
  github: githubReporter,
  json: jsonReporter,
} as const satisfies Record<ReporterName, ReporterFactory>;

/** Several reporters behind one: events and the end of the run reach each in turn. */
export function combine(reporters: readonly Reporter[]): Required<Reporter> {
  return {
    onEvent: (event: RunEvent) => {
      for (const r of reporters) r.onEvent(event);
    },
    onFinished: async (finished: RunFinished) => {
      for (const r of reporters) await r.onFinished(finished);
    },
    close: async () => {
      for (const r of reporters) await r.close?.();
    },
  };
}

export function createReporters(
  ctx: CommandContext,
  names: readonly ReporterName[],
  start: RunStart,
): Required<Reporter> {
  return combine(names.map((name) => REPORTERS[name](ctx, start)));
}
