/** Lines per stream from the engine's demultiplexed output chunks (the splitting itself is src/text's). */
import { LineSplitter } from '../../text/line-splitter.js';

export function outputLines(onLine: (line: string, stream: 'stdout' | 'stderr') => void): {
  push: (chunk: Buffer, stream: 'stdout' | 'stderr') => void;
  flush: () => void;
} {
  const out = new LineSplitter((l) => onLine(l, 'stdout'));
  const err = new LineSplitter((l) => onLine(l, 'stderr'));
  return {
    push: (chunk, stream) => (stream === 'stdout' ? out : err).write(chunk),
    flush: () => {
      out.flush();
      err.flush();
    },
  };
}
