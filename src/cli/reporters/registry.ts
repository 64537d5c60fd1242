/** The reporters `--reporter` can name, and the default choice. */
import { UsageError } from '../../errors.js';
import type { CommandContext } from '../context.js';
import { liveReporter, plainReporter } from './console-reporters.js';
import { githubReporter } from './github-reporter.js';
import { jsonReporter } from './json-reporter.js';
import type { Reporter, ReporterFactory, RunFinished, RunStart } from './reporter.js';
import type { RunEvent } from '../../execute/events.js';

export const REPORTERS = {
  live: liveReporter,
  plain: plainReporter,
  github: githubReporter,
  json: jsonReporter,
} as const satisfies Record<string, ReporterFactory>;
export type ReporterName = keyof typeof REPORTERS;

/** Live on a terminal, plain otherwise; plus github under GitHub Actions (first, so that the verdict stays the last lines). */
export function defaultReporters(ctx: CommandContext): ReporterName[] {
  return [...(ctx.env.GITHUB_ACTIONS === 'true' ? (['github'] as const) : []), ctx.isTTY ? 'live' : 'plain'];
}

export function reporterNames(ctx: CommandContext, given: readonly string[] | undefined): ReporterName[] {
  if (!given || given.length === 0) return defaultReporters(ctx);
  const names = given.flatMap((g) => g.split(',')).map((n) => n.trim());
  for (const name of names) {
    if (!Object.hasOwn(REPORTERS, name))
      throw new UsageError(`--reporter ${name}: expected one of ${Object.keys(REPORTERS).join(', ')}.`);
  }
  return [...new Set(names as ReporterName[])];
}

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
