/** Reads the engine's newline-delimited JSON progress streams (build, pull). */
import type { Readable } from 'node:stream';
import { LineSplitter } from '../../text/line-splitter.js';

export interface ProgressMessage {
  readonly stream?: string;
  readonly status?: string;
  readonly error?: string;
  readonly errorDetail?: { readonly message?: string };
  readonly aux?: { readonly ID?: string };
}

export function readJsonStream(stream: Readable, onMessage: (m: ProgressMessage) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const lines = new LineSplitter((line) => {
      const text = line.trim();
      if (!text) return;
      try {
        onMessage(JSON.parse(text) as ProgressMessage);
      } catch {
        onMessage({ stream: `${text}\n` });
      }
    });
    stream.on('data', (chunk: Buffer) => lines.write(chunk));
    stream.on('error', reject);
    stream.on('end', () => {
      lines.flush();
      resolve();
    });
  });
}
