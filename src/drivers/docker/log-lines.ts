/** The engine's multiplexed output streams, as lines (the splitting itself is src/text's). */
import { LineSplitter } from '../../text/line-splitter.js';

/**
 * Splits the engine's multiplexed stream (8-byte frame headers: stream type, 0, 0, 0, size BE32)
 * into stdout/stderr chunks. Used for logs and exec output of containers without a TTY.
 */
export class StreamDemuxer {
  private buffer: Buffer = Buffer.alloc(0);
  constructor(private readonly onChunk: (chunk: Buffer, stream: 'stdout' | 'stderr') => void) {}

  push(data: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, data]) : data;
    while (this.buffer.length >= 8) {
      const size = this.buffer.readUInt32BE(4);
      if (this.buffer.length < 8 + size) break;
      const kind = this.buffer[0] === 2 ? 'stderr' : 'stdout';
      this.onChunk(this.buffer.subarray(8, 8 + size), kind);
      this.buffer = this.buffer.subarray(8 + size);
    }
  }
}

/** Line splitting per stream on top of the demuxer. */
export function demuxLines(onLine: (line: string, stream: 'stdout' | 'stderr') => void): {
  push: (data: Buffer) => void;
  flush: () => void;
} {
  const out = new LineSplitter((l) => onLine(l, 'stdout'));
  const err = new LineSplitter((l) => onLine(l, 'stderr'));
  const demux = new StreamDemuxer((chunk, stream) => (stream === 'stdout' ? out : err).write(chunk));
  return {
    push: (d) => demux.push(d),
    flush: () => {
      out.flush();
      err.flush();
    },
  };
}
