/** Rule: `needs` between phases and `dependsOn` between services form no cycle. */
import type { RuleContext } from './context.js';
import { entriesOf, field, itemsOf } from './view.js';

function edges(records: unknown, key: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const [name] of entriesOf(records)) graph.set(name, []);
  for (const [name, item] of entriesOf(records)) {
    graph.set(
      name,
      itemsOf(field(item, key)).filter((to): to is string => typeof to === 'string' && graph.has(to)),
    );
  }
  return graph;
}

/** Every elementary cycle found by depth-first search, each once, starting where the search entered it. */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const done = new Set<string>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const at = stack.indexOf(next);
      if (at >= 0) {
        const cycle = stack.slice(at);
        const key = [...cycle].sort().join('\0');
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push([...cycle, next]);
        }
      } else if (!done.has(next)) visit(next);
    }
    stack.pop();
    done.add(node);
  };
  for (const node of graph.keys()) if (!done.has(node)) visit(node);
  return cycles;
}

/** Phases ordered by `needs` and `after` together: a cycle through either kind of edge can never run. */
function phaseOrder(phases: unknown): { graph: Map<string, string[]>; isNeed: (from: string, to: string) => boolean } {
  const needs = edges(phases, 'needs');
  const after = edges(phases, 'after');
  const graph = new Map([...needs].map(([name, to]) => [name, [...new Set([...to, ...(after.get(name) ?? [])])]]));
  return { graph, isNeed: (from, to) => needs.get(from)?.includes(to) ?? false };
}

export function checkCycles(ctx: RuleContext): void {
  const { graph, isNeed } = phaseOrder(field(ctx.plan, 'phases'));
  for (const cycle of findCycles(graph)) {
    const onlyNeeds = cycle.slice(1).every((to, i) => isNeed(cycle[i]!, to));
    if (onlyNeeds)
      ctx.report(['phases', cycle[0]!, 'needs'], `dependency cycle: ${cycle.join(' → ')}: remove one of these needs`);
    else
      ctx.report(
        ['phases', cycle[0]!, isNeed(cycle[0]!, cycle[1]!) ? 'needs' : 'after'],
        `ordering cycle through needs and after: ${cycle.join(' → ')}: remove one of these needs or after entries`,
      );
  }
  for (const cycle of findCycles(edges(field(ctx.plan, 'services'), 'dependsOn'))) {
    ctx.report(
      ['services', cycle[0]!, 'dependsOn'],
      `dependency cycle: ${cycle.join(' → ')}: remove one of these dependsOn entries`,
    );
  }
}
