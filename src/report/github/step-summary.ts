/**
 * The report for $GITHUB_STEP_SUMMARY, kept under GitHub's 1 MiB limit: the longest trimmable
 * blocks (log tails, failure details, long failure lists) are shortened first until the whole
 * fits; a note near the top says what was shortened.
 */
import { renderBlocks, text, type Block } from '../markdown/blocks.js';
import { markdownBlocks } from '../markdown/render-markdown.js';
import type { RunResults } from '../results.js';
import { trimBlocks } from './trim-blocks.js';

export const STEP_SUMMARY_LIMIT_BYTES = 1024 * 1024;

const NOTE_RESERVE_BYTES = 2048; // room for the trimming note itself

export function renderStepSummary(results: RunResults, limitBytes: number = STEP_SUMMARY_LIMIT_BYTES): string {
  const blocks = markdownBlocks(results);
  const full = renderBlocks(blocks);
  if (bytes(full) <= limitBytes) return full;
  const budget = Math.max(0, limitBytes - NOTE_RESERVE_BYTES);
  const trim = trimBlocks(blocks, budget);
  const render = (cut: boolean): string =>
    renderBlocks(insertAfterTitle(trim.blocks, text(trimNote(trim.trimmed, cut, limitBytes))));
  const trimmed = render(false);
  return bytes(trimmed) <= limitBytes ? trimmed : hardLimit(render(true), limitBytes);
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
