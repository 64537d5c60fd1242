/**
 * Shortens the trimmable blocks of a report until it fits a byte budget, longest first: every
 * block larger than a common cap is cut down to that cap (the largest cap that fits), so short
 * blocks stay whole and long ones lose the most. A log keeps its last lines, a list its first.
 */
import { renderBlock, type Block, type LinesBlock } from '../markdown/blocks.js';

const SEPARATOR_BYTES = 2; // blocks are joined by a blank line
const MAX_FALLBACK_ROUNDS = 200;

export interface TrimResult {
  readonly blocks: Block[];
  /** Labels of the blocks that were shortened, in report order. */
  readonly trimmed: string[];
  readonly bytes: number;
}

export function trimBlocks(input: readonly Block[], budget: number): TrimResult {
  const blocks = [...input];
  const sizes = blocks.map((b) => bytes(renderBlock(b)));
  let total = sum(sizes) + SEPARATOR_BYTES * Math.max(0, blocks.length - 1) + 1;
  const trimmed = new Set<number>();
  const replace = (i: number, block: Block): void => {
    blocks[i] = block;
    const size = bytes(renderBlock(block));
    total += size - (sizes[i] ?? 0);
    sizes[i] = size;
    trimmed.add(i);
  };

  if (total > budget) {
    const candidates = blocks.flatMap((b, i) => (b.kind === 'lines' ? [i] : []));
    const cap = largestCap(
      candidates.map((i) => sizes[i] ?? 0),
      total - budget,
    );
    for (const i of candidates) if ((sizes[i] ?? 0) > cap) replace(i, cutTo(blocks[i] as LinesBlock, cap));
  }
  // The cap ignores the few bytes a trimming note adds; halve the largest blocks until it fits.
  for (let round = 0; total > budget && round < MAX_FALLBACK_ROUNDS; round++) {
    const i = largestWithLines(blocks, sizes);
    if (i < 0) break;
    const block = blocks[i] as LinesBlock;
    replace(i, cutTo(block, Math.floor((sizes[i] ?? 0) / 2)));
  }
  const labels = [...trimmed].sort((a, b) => a - b).map((i) => (blocks[i] as LinesBlock).label);
  return { blocks, trimmed: labels, bytes: total };
}

/** The largest cap such that capping every size at it removes at least `excess` bytes. */
function largestCap(sizes: readonly number[], excess: number): number {
  let low = 0;
  let high = Math.max(0, ...sizes);
  const removed = (cap: number): number => sizes.reduce((acc, s) => acc + Math.max(0, s - cap), 0);
  if (removed(0) < excess) return 0;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (removed(mid) >= excess) low = mid;
    else high = mid - 1;
  }
  return low;
}

function largestWithLines(blocks: readonly Block[], sizes: readonly number[]): number {
  let best = -1;
  for (const [i, block] of blocks.entries()) {
    if (block.kind !== 'lines' || block.lines.length === 0) continue;
    if (best < 0 || (sizes[i] ?? 0) > (sizes[best] ?? 0)) best = i;
  }
  return best;
}

const OVERHEAD_BYTES = 120; // fence markers and the "… N lines trimmed" note

/** The block with as many lines from its kept end as fit `maxBytes`; a single long line is cut. */
export function cutTo(block: LinesBlock, maxBytes: number): LinesBlock {
  const room = maxBytes - OVERHEAD_BYTES;
  const order = block.keep === 'tail' ? [...block.lines].reverse() : [...block.lines];
  const kept: string[] = [];
  let used = 0;
  for (const line of order) {
    const cost = bytes(line) + 1;
    if (used + cost > room) break;
    kept.push(line);
    used += cost;
  }
  const nearest = order[0];
  if (kept.length === 0 && nearest !== undefined && room > 80) kept.push(cutLine(nearest, room, block.keep));
  const lines = block.keep === 'tail' ? kept.reverse() : kept;
  const dropped = block.lines.length - lines.length;
  return { ...block, lines, omitted: (block.omitted ?? 0) + dropped };
}

function cutLine(line: string, room: number, keep: 'head' | 'tail'): string {
  const buffer = Buffer.from(line, 'utf8');
  const part = keep === 'tail' ? buffer.subarray(buffer.length - (room - 4)) : buffer.subarray(0, room - 4);
  // Drop a character split by the cut (decoded as U+FFFD) at the cut end.
  const decoded = part.toString('utf8').replace(keep === 'tail' ? /^\uFFFD+/ : /\uFFFD+$/, '');
  return keep === 'tail' ? `… ${decoded}` : `${decoded} …`;
}

function sum(values: readonly number[]): number {
  return values.reduce((acc, n) => acc + n, 0);
}

function bytes(value: string): number {
  return Buffer.byteLength(value, 'utf8');
}
