/**
 * The one way output becomes lines, for process and container output and for line-based evidence
 * files alike. Chunks may end mid-line or in the middle of a UTF-8 character: both are held back
 * until the rest arrives (bytes go through a StringDecoder, so a character split across chunks is
 * never mangled). A line ends at `\n`; a `\r` before it belongs to the line end.
 *
 * Memory stays bounded: a line longer than `maxLineLength` characters keeps its first
 * `maxLineLength` and a marker saying how many bytes were cut; the rest is counted, never held.
 */
import { StringDecoder } from 'node:string_decoder';

/** 64 Ki characters: far above any real log or TAP/lcov line, far below what hurts memory. */
export const MAX_LINE_LENGTH = 64 * 1024;

export interface LineSplitterOptions {
  readonly maxLineLength?: number;
}

export function cutMarker(bytes: number): string {
  return ` … [line cut: ${bytes} more bytes]`;
}

export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private readonly max: number;
  /** The current line so far (at most `max` characters). */
  private pending = '';
  /** Bytes of the current line dropped past the cap. */
  private cutBytes = 0;

  constructor(
    private readonly onLine: (line: string) => void,
    options: LineSplitterOptions = {},
  ) {
    this.max = Math.max(1, options.maxLineLength ?? MAX_LINE_LENGTH);
  }

  write(chunk: string | Uint8Array): void {
    const text =
      typeof chunk === 'string' ? chunk : this.decoder.write(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      this.append(text, start, nl > start && text.charCodeAt(nl - 1) === CR ? nl - 1 : nl);
      this.onLine(this.take());
      start = nl + 1;
    }
    this.append(text, start, text.length);
  }

  /** Ends the input and returns what followed the last line end (not delivered as a line). */
  end(): string {
    const rest = this.decoder.end();
    this.append(rest, 0, rest.length);
    return this.take();
  }

  /** Ends the input; an unterminated last line is delivered as a line. */
  flush(): void {
    const rest = this.end();
    if (rest !== '') this.onLine(rest);
  }

  private append(text: string, from: number, end: number): void {
    if (end <= from) return;
    const room = this.max - this.pending.length;
    if (room >= end - from) {
      this.pending += text.slice(from, end);
      return;
    }
    let keep = Math.max(0, room);
    // Never keep half of a surrogate pair.
    if (keep > 0 && isHighSurrogate(text.charCodeAt(from + keep - 1))) keep -= 1;
    this.pending += text.slice(from, from + keep);
    this.cutBytes += Buffer.byteLength(text.slice(from + keep, end), 'utf8');
  }

  private take(): string {
    // A `\r\n` split across chunks leaves the `\r` here.
    const line = this.cutBytes === 0 && this.pending.endsWith('\r') ? this.pending.slice(0, -1) : this.pending;
    const marked = this.cutBytes > 0 ? `${line}${cutMarker(this.cutBytes)}` : line;
    this.pending = '';
    this.cutBytes = 0;
    return marked;
  }
}

const CR = 13;

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
