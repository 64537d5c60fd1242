/** Under GitHub Actions: phase logs as `::group::`s and failures as `::error` annotations, on stdout. */
import { renderAnnotations, renderLogGroups } from '../../report/github/annotations.js';
import type { RunResults } from '../../report/results.js';
import type { CommandContext } from '../context.js';
import type { ReporterFactory } from './reporter.js';

export function printWorkflowCommands(ctx: CommandContext, results: RunResults): void {
  for (const line of [...renderLogGroups(results), ...renderAnnotations(results)]) ctx.stdout(`${line}\n`);
}

export const githubReporter: ReporterFactory = (ctx) => ({
  onEvent: () => undefined,
  onFinished: ({ results }) => printWorkflowCommands(ctx, results),
});
