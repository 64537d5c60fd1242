/**
 * A report is a list of blocks. Most are fixed text; long ones (log tails, failure details, long
 * lists) are `lines` blocks that a size-limited renderer (the GitHub step summary) may shorten.
 */
import { fence } from './escape.js';

export interface TextBlock {
  readonly kind: 'text';
  readonly text: string;
}

export interface LinesBlock {
  readonly kind: 'lines';
  /** What the lines are, for the trimming note: `log tail of phase integration`. */
  readonly label: string;
  readonly lines: readonly string[];
  /** Which end survives trimming: a log keeps its last lines, a list or stack its first. */
  readonly keep: 'head' | 'tail';
  /** Rendered as a fenced block, or as markdown lines as they are. */
  readonly fenced: boolean;
  /** Lines already trimmed away. */
  readonly omitted?: number;
}

export type Block = TextBlock | LinesBlock;

export function text(value: string): TextBlock {
  return { kind: 'text', text: value };
}

export function renderBlock(block: Block): string {
  if (block.kind === 'text') return block.text;
  if (block.lines.length === 0 && block.omitted)
    return `_${block.label}: ${block.omitted} line${block.omitted === 1 ? '' : 's'} trimmed_`;
  const body = block.fenced ? fence(block.lines) : block.lines.join('\n');
  if (!block.omitted) return body;
  const where = block.keep === 'tail' ? 'earlier' : 'further';
  const note = `_… ${block.omitted} ${where} line${block.omitted === 1 ? '' : 's'} trimmed_`;
  return block.keep === 'tail' ? `${note}\n${body}` : `${body}\n${note}`;
}

export function renderBlocks(blocks: readonly Block[]): string {
  return `${blocks.map(renderBlock).join('\n\n')}\n`;
}
