/** The last `limit` lines of some output, for failure reports. Lines come capped by `LineSplitter`. */
export class TailBuffer {
  private readonly kept: string[] = [];
  constructor(readonly limit = 200) {}

  push(line: string): void {
    this.kept.push(line);
    if (this.kept.length > this.limit) this.kept.shift();
  }

  /** The last `count` lines (all kept lines when omitted), oldest first. */
  last(count = this.limit): readonly string[] {
    const n = Math.min(count, this.limit);
    return n <= 0 ? [] : this.kept.slice(-n);
  }
}
