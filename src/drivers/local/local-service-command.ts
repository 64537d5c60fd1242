/**
 * A service's `setup` command under `--driver local`: a host process in its own group, with the
 * service's env (runner env + `env` + `local.env` + `PORT`) in the plan's folder. Arguments are
 * mapped as an exec probe's are: a declared port becomes the service's free port.
 */
import type { ServiceCommandOutcome, ServiceCommandRequest, StepContext } from '../driver.js';
import type { Clock } from '../shared/clock.js';
import { LineSplitter } from '../../text/line-splitter.js';
import { TailBuffer } from '../../text/tail-buffer.js';
import type { HostProcess, LaunchProcess, SignalGroup } from './host-process.js';
import type { LocalService } from './local-service.js';
import { hostProbeArgv } from './ready-probes.js';
import { argvToScript } from './shell-quote.js';
import { reap } from './short-command.js';

/** Output lines kept for the failure message. */
const TAIL_LINES = 40;

export interface ServiceCommandDeps {
  readonly launch: LaunchProcess;
  readonly signal: SignalGroup;
  readonly clock: Clock;
  readonly cwd: string;
  /** Registers the process so cleanup and the runner's exit kill it; returns the way to forget it. */
  readonly track: (proc: HostProcess) => () => void;
}

export async function runLocalServiceCommand(
  service: LocalService,
  req: ServiceCommandRequest,
  ctx: StepContext,
  deps: ServiceCommandDeps,
): Promise<ServiceCommandOutcome> {
  const tail = new TailBuffer(TAIL_LINES);
  const splitter = (stream: 'stdout' | 'stderr'): LineSplitter =>
    new LineSplitter((line) => {
      tail.push(line);
      ctx.onLog(line, stream);
    });
  const out = { stdout: splitter('stdout'), stderr: splitter('stderr') };
  const proc = deps.launch({
    script: argvToScript(hostProbeArgv(req.command, service.port, service.declaredPorts)),
    cwd: deps.cwd,
    env: service.env,
    onOutput: (chunk, stream) => out[stream].write(chunk),
  });
  const forget = deps.track(proc);
  const stop = new AbortController();
  let aborted = false;
  const onAbort = (): void => {
    aborted = true;
    stop.abort();
  };
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  if (ctx.signal.aborted) onAbort();
  try {
    const exit = await Promise.race([proc.exited, deps.clock.sleep(req.timeoutMs, stop.signal).then(() => undefined)]);
    stop.abort();
    const final = await reap(proc, exit, deps);
    out.stdout.flush();
    out.stderr.flush();
    if (final.startError) tail.push(`could not start: ${final.startError}`);
    const timedOut = exit === undefined && !aborted;
    return {
      exitCode: exit === undefined ? null : final.exitCode,
      timedOut,
      aborted: exit === undefined && aborted,
      outputTail: tail.last(),
    };
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
    forget();
  }
}
