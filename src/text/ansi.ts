/** Terminal escape handling: reports and CI outputs show text, never colour codes or cursor moves. */

// CSI (`ESC [ … final`), OSC (`ESC ] … BEL|ESC \`), and the remaining two-byte ESC sequences.
const ANSI_PATTERN =
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]|\u009b[0-?]*[ -/]*[@-~]/g;
// C0 controls and DEL except tab and newline (carriage returns are resolved before this runs).
const CONTROL_PATTERN = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

// Anything toPlainText would change: C0 controls but tab and newline (this includes ESC and CR), DEL, CSI.
const NEEDS_CLEANING = /[\u0000-\u0008\u000b-\u001f\u007f\u009b]/;

export function stripAnsi(text: string): string {
  return text.replace(ANSI_PATTERN, '');
}

/**
 * Plain, printable text: ANSI removed, CRLF normalised, a line rewritten with `\r` (progress bars)
 * reduced to what a terminal would finally show, other control characters dropped.
 */
export function toPlainText(text: string): string {
  if (!NEEDS_CLEANING.test(text)) return text;
  return stripAnsi(text)
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map(lastCarriageReturnSegment)
    .join('\n')
    .replace(CONTROL_PATTERN, '');
}

function lastCarriageReturnSegment(line: string): string {
  if (!line.includes('\r')) return line;
  const segments = line.split('\r').filter((s) => s.length > 0);
  return segments[segments.length - 1] ?? '';
}
