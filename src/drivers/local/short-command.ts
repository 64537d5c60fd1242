import type { Clock } from '../shared/clock.js';
import { LineSplitter } from '../../text/line-splitter.js';
import { TailBuffer } from '../../text/tail-buffer.js';
import type { HostProcess, LaunchProcess, ProcessExit, SignalGroup } from './host-process.js';

/** A short command's own output is small; after its exit it gets this long to arrive. */
const OUTPUT_WAIT_MS = 200;

/**
 * Ends a short command once it exited (`exit`) or ran out of time (undefined): a probe or a setup command
 * has nothing worth a grace period, so whatever it left running (or the command itself) is killed at once;
 * then its exit, and briefly the rest of its output.
 */
export async function reap(
  proc: HostProcess,
  exit: ProcessExit | undefined,
  deps: { readonly signal: SignalGroup; readonly clock: Clock },
): Promise<ProcessExit> {
  deps.signal(proc.pid, 'SIGKILL');
  const final = exit ?? (await proc.exited);
  const settle = new AbortController();
  await Promise.race([proc.drained, deps.clock.sleep(OUTPUT_WAIT_MS, settle.signal)]);
  settle.abort();
  proc.abandonOutput();
  return final;
}

export interface ShortCommandResult {
  readonly exitCode: number | null;
  readonly output: string;
  readonly timedOut: boolean;
}

/** Runs a probe command to completion (or kills its group after `timeoutMs`); keeps its last lines. */
export type RunShortCommand = (
  script: string,
  opts: {
    readonly cwd: string;
    readonly env: Readonly<Record<string, string | undefined>>;
    readonly timeoutMs: number;
  },
) => Promise<ShortCommandResult>;

export interface ShortCommandDeps {
  readonly launch: LaunchProcess;
  readonly signal: SignalGroup;
  readonly clock: Clock;
  /** Registers the process so the runner's exit kills it; returns the way to forget it. */
  readonly track: (proc: HostProcess) => () => void;
}

export function shortCommandRunner(deps: ShortCommandDeps): RunShortCommand {
  return async (script, opts) => {
    const output = new TailBuffer(40);
    const lines = { stdout: new LineSplitter((l) => output.push(l)), stderr: new LineSplitter((l) => output.push(l)) };
    const proc = deps.launch({
      script,
      cwd: opts.cwd,
      env: opts.env,
      onOutput: (chunk, stream) => lines[stream].write(chunk),
    });
    const forget = deps.track(proc);
    const stop = new AbortController();
    let timedOut = false;
    const exit = await Promise.race([
      proc.exited,
      deps.clock.sleep(opts.timeoutMs, stop.signal).then(() => {
        // `sleep` also resolves when `stop` aborts it after the process won the race.
        if (!stop.signal.aborted) timedOut = true;
        return undefined;
      }),
    ]);
    stop.abort();
    const final = await reap(proc, exit, deps);
    forget();
    lines.stdout.flush();
    lines.stderr.flush();
    return {
      exitCode: timedOut ? null : final.exitCode,
      output: [...output.last(), ...(final.startError ? [final.startError] : [])].join('\n'),
      timedOut,
    };
  };
}
