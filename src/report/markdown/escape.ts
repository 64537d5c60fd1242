/** Markdown escaping for table cells, inline code and fenced blocks. */
import { toPlainText } from '../../text/ansi.js';

/** A table cell: plain text on one line, pipes escaped, empty shown as an em dash. */
export function cell(text: string | number | undefined): string {
  if (text === undefined) return '—';
  const flat = toPlainText(String(text))
    .replace(/\s*\n\s*/g, ' ')
    .trim();
  if (flat.length === 0) return '—';
  return flat.replace(/\\/g, '\\\\').replace(/\|/g, '\\|');
}

/** Multi-line evidence in one cell, one item per line. */
export function cellLines(items: readonly string[]): string {
  if (items.length === 0) return '—';
  return items.map((item) => cell(item)).join('<br>');
}

/** Inline code that survives backticks inside the text. */
export function code(text: string): string {
  const flat = toPlainText(text).replace(/\n/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${flat}${pad}${ticks}`;
}

/** A fenced block whose fence is longer than any backtick run in the content. */
export function fence(lines: readonly string[], lang = 'text'): string {
  const body = toPlainText(lines.join('\n'));
  const longest = Math.max(2, ...(body.match(/`{3,}/g) ?? []).map((run) => run.length));
  const marker = '`'.repeat(longest + 1);
  return `${marker}${lang}\n${body}\n${marker}`;
}

/** A markdown table; cells must already be escaped with `cell`. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const head = `| ${header.join(' | ')} |`;
  const rule = `| ${header.map(() => '---').join(' | ')} |`;
  return [head, rule, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}
