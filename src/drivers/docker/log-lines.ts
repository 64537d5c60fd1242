/** Turns chunks of output into lines and keeps the last N of them. */

export class LineSplitter {
  private rest = '';
  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Buffer | string): void {
    const text = this.rest + (typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
    const parts = text.split('\n');
    this.rest = parts.pop() ?? '';
    for (const p of parts) this.onLine(p.endsWith('\r') ? p.slice(0, -1) : p);
  }

  flush(): void {
    if (this.rest !== '') this.onLine(this.rest);
    this.rest = '';
  }
}

export class TailBuffer {
  private readonly lines: string[] = [];
  constructor(private readonly max: number) {}

  add(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.max) this.lines.splice(0, this.lines.length - this.max);
  }

  snapshot(): string[] {
    return [...this.lines];
  }
}

/** Lines per stream from the engine's demultiplexed output chunks. */
export function outputLines(onLine: (line: string, stream: 'stdout' | 'stderr') => void): {
  push: (chunk: Buffer, stream: 'stdout' | 'stderr') => void;
  flush: () => void;
} {
  const out = new LineSplitter((l) => onLine(l, 'stdout'));
  const err = new LineSplitter((l) => onLine(l, 'stderr'));
  return {
    push: (chunk, stream) => (stream === 'stdout' ? out : err).push(chunk),
    flush: () => {
      out.flush();
      err.flush();
    },
  };
}
