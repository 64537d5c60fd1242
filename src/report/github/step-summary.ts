/**
 * The report for $GITHUB_STEP_SUMMARY, kept under GitHub's 1 MiB limit: the longest trimmable
 * blocks (log tails, failure details, long failure lists) are halved, longest first, until the
 * whole fits; a note near the top says what was shortened.
 */
import { renderBlock, renderBlocks, text, type Block, type LinesBlock } from '../markdown/blocks.js';
import { markdownBlocks } from '../markdown/render-markdown.js';
import type { RunResults } from '../results.js';

export const STEP_SUMMARY_LIMIT_BYTES = 1024 * 1024;

const SEPARATOR_BYTES = 2; // blocks are joined by a blank line
const NOTE_RESERVE_BYTES = 2048; // room for the trimming note itself
const LONG_LINE_CHARS = 200;

export function renderStepSummary(results: RunResults, limitBytes: number = STEP_SUMMARY_LIMIT_BYTES): string {
  const blocks = markdownBlocks(results);
  const full = renderBlocks(blocks);
  if (bytes(full) <= limitBytes) return full;

  const sizes = blocks.map((b) => bytes(renderBlock(b)));
  const total = (): number => sizes.reduce((sum, n) => sum + n, 0) + SEPARATOR_BYTES * (blocks.length - 1) + 1;
  const budget = Math.max(0, limitBytes - NOTE_RESERVE_BYTES);
  const trimmed = new Set<string>();
  while (total() > budget) {
    const index = longestTrimmable(blocks, sizes);
    if (index < 0) break;
    const block = blocks[index] as LinesBlock;
    blocks[index] = halve(block);
    sizes[index] = bytes(renderBlock(blocks[index] as Block));
    trimmed.add(block.label);
  }
  const withNote = insertAfterTitle(blocks, text(trimNote([...trimmed], total() > budget, limitBytes)));
  return hardLimit(renderBlocks(withNote), limitBytes);
}

function longestTrimmable(blocks: readonly Block[], sizes: readonly number[]): number {
  let best = -1;
  for (const [i, block] of blocks.entries()) {
    if (block.kind !== 'lines' || block.lines.length === 0) continue;
    if (best < 0 || (sizes[i] ?? 0) > (sizes[best] ?? 0)) best = i;
  }
  return best;
}

/** Half of the block by lines; a block of one long line keeps half of that line. */
function halve(block: LinesBlock): LinesBlock {
  const omitted = block.omitted ?? 0;
  const only = block.lines[0];
  if (block.lines.length === 1 && only !== undefined && only.length > LONG_LINE_CHARS) {
    const half = Math.floor(only.length / 2);
    const kept = block.keep === 'tail' ? `… ${only.slice(only.length - half)}` : `${only.slice(0, half)} …`;
    return { ...block, lines: [kept] };
  }
  const keepCount = Math.floor(block.lines.length / 2);
  const lines = block.keep === 'tail' ? block.lines.slice(block.lines.length - keepCount) : block.lines.slice(0, keepCount);
  return { ...block, lines, omitted: omitted + block.lines.length - lines.length };
}

function trimNote(labels: readonly string[], cut: boolean, limitBytes: number): string {
  const named = labels.slice(0, 5).join('; ');
  const more = labels.length > 5 ? `; and ${labels.length - 5} more` : '';
  const shortened = labels.length > 0 ? ` Shortened: ${named}${more}.` : '';
  const end = cut ? ' The end of the report was cut off.' : '';
  return `> ℹ️ **Trimmed** to stay under the ${formatSize(limitBytes)} GitHub step summary limit.${shortened}${end} The full report is in report.md and results.json.`;
}

function insertAfterTitle(blocks: readonly Block[], note: Block): Block[] {
  const title = blocks.findIndex((b) => b.kind === 'text' && b.text.startsWith('# '));
  const at = title >= 0 ? title + 1 : 0;
  return [...blocks.slice(0, at), note, ...blocks.slice(at)];
}

/** Last resort when even the untrimmable tables are too big: cut on a line boundary, close any open fence. */
function hardLimit(markdown: string, limitBytes: number): string {
  if (bytes(markdown) <= limitBytes) return markdown;
  const closing = '\n\n_… cut off at the step summary limit._\n';
  const room = Math.max(0, limitBytes - bytes(closing) - 16);
  let kept = Buffer.from(markdown, 'utf8').subarray(0, room).toString('utf8');
  kept = kept.slice(0, Math.max(0, kept.lastIndexOf('\n')));
  const fences = kept.split('\n').filter((line) => /^`{3,}/.test(line));
  const open = fences.length % 2 === 1 ? `\n${(fences[fences.length - 1] ?? '```').match(/^`+/)?.[0] ?? '```'}` : '';
  return `${kept}${open}${closing}`;
}

function bytes(value: string): number {
  return Buffer.byteLength(value, 'utf8');
}

function formatSize(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  return n >= 1024 ? `${Math.round(n / 1024)} KiB` : `${n} bytes`;
}
