/** `plan graph` output formats. */
import type { Step, StepGraph } from './graph.js';

export type GraphFormat = 'text' | 'mermaid' | 'json';

/** Steps grouped in waves: every step of a wave can start once the previous waves are done. */
export function waves(graph: StepGraph): Step[][] {
  const level = new Map<string, number>();
  const out: Step[][] = [];
  for (const step of graph.steps) {
    const l = Math.max(-1, ...[...step.needs, ...(step.after ?? [])].map((n) => level.get(n) ?? -1)) + 1;
    level.set(step.id, l);
    (out[l] ??= []).push(step);
  }
  return out;
}

/** A sharded phase runs as N containers, each with its own service instances: not steps of the graph. */
const shardNote = (step: Step): string =>
  step.kind === 'run-phase' && step.shards ? ` (${step.shards} shards, each with its own services)` : '';

function renderText(graph: StepGraph): string {
  const lines = [
    `plan ${graph.plan}: ${graph.phases.length} phase(s), ${graph.services.length} service(s), ${graph.images.length} image(s) to build` +
      (graph.profiles.length ? `, profiles ${graph.profiles.join(', ')}` : ''),
  ];
  waves(graph).forEach((wave, i) => {
    lines.push(`wave ${i + 1}`);
    for (const step of wave) {
      const order = [
        ...(step.after?.length ? [`after ${step.after.join(', ')}`] : []),
        ...(step.locks?.length ? [`one at a time: ${step.locks.join(', ')}`] : []),
      ];
      lines.push(
        `  ${step.id}${shardNote(step)}${step.needs.length ? `  ← ${step.needs.join(', ')}` : ''}${order.length ? `  (${order.join('; ')})` : ''}`,
      );
    }
  });
  return `${lines.join('\n')}\n`;
}

function renderMermaid(graph: StepGraph): string {
  const node = new Map(graph.steps.map((s, i) => [s.id, `s${i}`]));
  const lines = ['flowchart TD'];
  for (const step of graph.steps) lines.push(`  ${node.get(step.id)}["${step.id}"]`);
  for (const step of graph.steps)
    for (const need of step.needs) lines.push(`  ${node.get(need)} --> ${node.get(step.id)}`);
  // `after` is ordering only: a dotted edge.
  for (const step of graph.steps)
    for (const earlier of step.after ?? []) lines.push(`  ${node.get(earlier)} -.-> ${node.get(step.id)}`);
  return `${lines.join('\n')}\n`;
}

export function renderGraph(graph: StepGraph, format: GraphFormat): string {
  switch (format) {
    case 'text':
      return renderText(graph);
    case 'mermaid':
      return renderMermaid(graph);
    case 'json':
      return `${JSON.stringify(graph, null, 2)}\n`;
  }
}
