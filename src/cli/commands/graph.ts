import { compilePlan } from '../../compile/compile.js';
import { renderGraph } from '../../compile/render-graph.js';
import { loadPlanFile } from '../../load/load-plan.js';
import { EXIT } from '../../errors.js';
import { atMostOne, loadTimeout, oneOf, parseCommand } from '../args.js';
import type { CommandContext } from '../context.js';
import { choosePlanFile } from '../plan-file.js';

export async function graphCommand(argv: readonly string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseCommand('graph', argv);
  const format = oneOf('--format', values.format, ['text', 'mermaid', 'json'] as const, 'text');
  const plan = await loadPlanFile(
    await choosePlanFile(ctx.cwd, atMostOne('graph', positionals)),
    loadTimeout(values['load-timeout']),
  );
  const graph = compilePlan(plan, {
    phases: values.phase ?? [],
    profiles: values.profile ?? [],
    needs: !values['no-needs'],
  });
  ctx.stdout(renderGraph(graph, format));
  return EXIT.passed;
}
