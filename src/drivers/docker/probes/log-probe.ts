/** Ready once the service's output has matched `pattern` `times` times (stdout and stderr). */
import type { ContainerPort } from '../engine/engine.js';
import { outputLines } from '../log-lines.js';

export interface LogMatch {
  readonly matched: boolean;
  readonly count: number;
  readonly lastLine: string;
}

/** Resolves when matched, or with `matched: false` when the log stream ends or `signal` aborts. */
export async function watchLogFor(
  containers: ContainerPort,
  containerId: string,
  pattern: string,
  times: number,
  signal: AbortSignal,
  onProgress: (progress: LogMatch) => void = () => undefined,
): Promise<LogMatch> {
  const regex = new RegExp(pattern);
  let count = 0;
  let lastLine = '';
  const matched = new AbortController();
  const lines = outputLines((line) => {
    if (matched.signal.aborted) return;
    lastLine = line;
    const hit = regex.test(line);
    if (hit) count++;
    onProgress({ matched: count >= times, count, lastLine });
    if (hit && count >= times) matched.abort();
  });
  const follow = { follow: true, signal: AbortSignal.any([signal, matched.signal]) };
  await containers.logs(containerId, follow, (chunk, stream) => lines.push(chunk, stream));
  if (matched.signal.aborted) return { matched: true, count, lastLine };
  if (signal.aborted) return { matched: false, count, lastLine };
  // The log ended: the container stopped.
  lines.flush();
  return { matched: count >= times, count, lastLine };
}
