/** Runs one command inside a running service container (an exec: the container's env is the command's). */
import type { ServiceCommandOutcome, ServiceCommandRequest, StepContext } from '../driver.js';
import { TailBuffer } from '../../text/tail-buffer.js';
import type { ExecPort } from './engine/engine.js';
import { outputLines } from './log-lines.js';

/** Output lines kept for the failure message. */
export const SERVICE_COMMAND_TAIL = 40;

export async function runServiceCommand(
  exec: ExecPort,
  containerId: string,
  req: ServiceCommandRequest,
  ctx: StepContext,
): Promise<ServiceCommandOutcome> {
  const tail = new TailBuffer(SERVICE_COMMAND_TAIL);
  const lines = outputLines((line, stream) => {
    tail.push(line);
    ctx.onLog(line, stream);
  });
  const stop = new AbortController();
  let timedOut = false;
  let aborted = false;
  const onAbort = (): void => {
    aborted = !timedOut;
    stop.abort();
  };
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  if (ctx.signal.aborted) onAbort();
  // The engine has no way to kill an exec: on timeout the output is cut and the service counts as
  // not ready (it is stopped with the run); the command may run on inside it until then.
  const timer = setTimeout(() => {
    timedOut = !aborted;
    stop.abort();
  }, req.timeoutMs);
  try {
    const { exitCode } = await exec.run(containerId, req.command, stop.signal, (chunk, stream) =>
      lines.push(chunk, stream),
    );
    lines.flush();
    const cut = timedOut || aborted;
    return { exitCode: cut ? null : exitCode, timedOut, aborted, outputTail: tail.last() };
  } finally {
    clearTimeout(timer);
    ctx.signal.removeEventListener('abort', onAbort);
  }
}
