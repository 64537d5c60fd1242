/** Under GitHub Actions: phase logs as `::group::`s and failures as `::error` annotations on stdout. */
import { renderAnnotations, renderLogGroups } from '../report/github/annotations.js';
import type { RunResults } from '../report/results.js';
import type { CommandContext } from './context.js';

export function printWorkflowCommands(ctx: CommandContext, results: RunResults): void {
  if (ctx.env.GITHUB_ACTIONS !== 'true') return;
  for (const line of [...renderLogGroups(results), ...renderAnnotations(results)]) ctx.stdout(`${line}\n`);
}
