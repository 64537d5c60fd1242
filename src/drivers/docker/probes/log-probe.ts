/** Ready once the service's output has matched `pattern` `times` times (stdout and stderr). */
import type Dockerode from 'dockerode';
import type { Readable } from 'node:stream';
import { demuxLines } from '../log-lines.js';

export interface LogMatch {
  readonly matched: boolean;
  readonly count: number;
  readonly lastLine: string;
}

/** Resolves when matched, or with `matched: false` when the log stream ends or `signal` aborts. */
export async function watchLogFor(
  docker: Dockerode,
  containerId: string,
  pattern: string,
  times: number,
  signal: AbortSignal,
  onProgress: (progress: LogMatch) => void = () => undefined,
): Promise<LogMatch> {
  const regex = new RegExp(pattern);
  let count = 0;
  let lastLine = '';
  const stream = (await docker.getContainer(containerId).logs({
    follow: true,
    stdout: true,
    stderr: true,
    abortSignal: signal,
  })) as unknown as Readable;
  return new Promise((resolve) => {
    const finish = (matched: boolean) => {
      signal.removeEventListener('abort', onAbort);
      stream.destroy();
      resolve({ matched, count, lastLine });
    };
    const onAbort = () => finish(false);
    signal.addEventListener('abort', onAbort, { once: true });
    const lines = demuxLines((line) => {
      lastLine = line;
      const hit = regex.test(line);
      if (hit) count++;
      onProgress({ matched: count >= times, count, lastLine });
      if (hit && count >= times) finish(true);
    });
    stream.on('data', (d: Buffer) => lines.push(d));
    stream.on('end', () => {
      lines.flush();
      finish(count >= times);
    });
    stream.on('error', () => finish(false));
  });
}
