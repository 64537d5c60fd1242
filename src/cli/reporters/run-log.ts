/** The run log: every event as one timestamped line, for people reading what happened afterwards. */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { RunEvent } from '../../execute/events.js';

export function runLogLine(event: RunEvent, at: number): string {
  const time = new Date(at).toISOString();
  switch (event.kind) {
    case 'log':
      return `${time} [${event.source}] ${event.line}\n`;
    case 'step-started':
      return `${time} start ${event.step.id}\n`;
    case 'step-finished':
      return `${time} ${event.status} ${event.step.id} ${event.durationMs}ms${event.message ? ` ${event.message}` : ''}\n`;
    case 'phase-attempt':
      return `${time} attempt ${event.phase}#${event.attempt} exit=${event.exitCode} timedOut=${event.timedOut}\n`;
    case 'run-started':
      return `${time} run ${event.runId} plan=${event.plan} driver=${event.driver}\n`;
    case 'interrupted':
      return `${time} interrupted by ${event.signal}${event.force ? ' (forced)' : ''}\n`;
  }
}

/** Writes `run.log` in the run's folder: always, whichever reporters are chosen. */
export async function openRunLog(
  outDir: string,
  now: () => number = Date.now,
): Promise<{ onEvent: (event: RunEvent) => void; close: () => Promise<void> }> {
  await mkdir(outDir, { recursive: true });
  const log = createWriteStream(path.join(outDir, 'run.log'));
  let closed: Promise<void> | undefined;
  return {
    onEvent: (event) => {
      if (!closed) log.write(runLogLine(event, now()));
    },
    close: () => (closed ??= new Promise<void>((resolve) => log.end(resolve))),
  };
}
