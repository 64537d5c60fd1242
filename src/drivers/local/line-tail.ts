import { StringDecoder } from 'node:string_decoder';

/** The last `limit` lines a process printed, for failure reports. */
export class LineTail {
  private readonly kept: string[] = [];
  constructor(readonly limit = 200) {}

  push(line: string): void {
    this.kept.push(line);
    if (this.kept.length > this.limit) this.kept.splice(0, this.kept.length - this.limit);
  }

  /** The last `count` lines (all kept lines when omitted), oldest first. */
  last(count = this.limit): readonly string[] {
    return count <= 0 ? [] : this.kept.slice(-count);
  }
}

/**
 * Turns output chunks into whole lines (without the newline). A chunk may end mid-line or in the
 * middle of a multi-byte character; both are held back until the rest arrives or `flush` is called.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';
  constructor(private readonly onLine: (line: string) => void) {}

  write(chunk: string | Buffer): void {
    this.pending += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    const parts = this.pending.split(/\r?\n/);
    this.pending = parts.pop() ?? '';
    for (const line of parts) this.onLine(line);
  }

  flush(): void {
    const rest = this.pending + this.decoder.end();
    this.pending = '';
    if (rest.length > 0) this.onLine(rest);
  }
}
