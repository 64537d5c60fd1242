/** Wires the event stream to the progress display and to `run.log` in the run's folder. */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Step } from '../compile/graph.js';
import type { RunEvent } from '../execute/events.js';
import type { CommandContext } from './context.js';
import { liveProgress, plainProgress, runLogLine, type Verbosity } from './progress.js';

export interface RunOutput {
  readonly onEvent: (event: RunEvent) => void;
  close(): Promise<void>;
}

export async function startRunOutput(
  ctx: CommandContext,
  options: { readonly outDir: string; readonly verbosity: Verbosity; readonly phaseSources: ReadonlySet<string>; readonly steps: readonly Step[] },
): Promise<RunOutput> {
  await mkdir(options.outDir, { recursive: true });
  const log = createWriteStream(path.join(options.outDir, 'run.log'));
  const progressOptions = { verbosity: options.verbosity, phaseSources: options.phaseSources, write: ctx.stderr };
  const live = ctx.isTTY && options.verbosity !== 'quiet' ? liveProgress({ ...progressOptions, columns: ctx.columns, steps: options.steps }) : undefined;
  const plain = live ? undefined : plainProgress(progressOptions);
  let closed: Promise<void> | undefined;
  return {
    onEvent(event) {
      if (!closed) log.write(runLogLine(event, Date.now()));
      live?.onEvent(event);
      plain?.(event);
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        live?.stop();
        log.end(resolve);
      });
      return closed;
    },
  };
}
