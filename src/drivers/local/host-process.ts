/**
 * Starts a shell script on the host in its own process group, through zx. This is the only file of
 * the local driver that knows zx; everything else sees `HostProcess`.
 */
import { $ } from 'zx/core';

export interface ProcessExit {
  /** `null` when a signal ended the process or it never started. */
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** Why the process could not be started (bad cwd, no shell). */
  readonly startError?: string;
}

export interface HostProcess {
  /** Process id of the shell, which is also the id of its process group. 0 when it never started. */
  readonly pid: number;
  /** Resolves when the group leader (the `sh -c` shell) exits. Never rejects. */
  readonly exited: Promise<ProcessExit>;
  /** Resolves after `exited` once every holder of the output pipes is gone and all output was delivered. */
  readonly drained: Promise<void>;
  /** Set once `exited` resolved. */
  exit(): ProcessExit | undefined;
  /**
   * Stops reading output and resolves `drained`: for a process that left the group (`setsid`)
   * and still holds the pipes after the group was killed.
   */
  abandonOutput(): void;
}

export interface LaunchRequest {
  /** Runs as `sh -c <script>`. */
  readonly script: string;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly onOutput: (chunk: string | Buffer, stream: 'stdout' | 'stderr') => void;
}

export type LaunchProcess = (req: LaunchRequest) => HostProcess;
export type SignalName = 'SIGTERM' | 'SIGKILL';
/** Sends a signal to every process of the group led by `pid`; false when none is left. */
export type SignalGroup = (pid: number, signal: SignalName) => boolean;

/** zx keeps every output chunk in memory for its result object; we stream lines instead, so keep none. */
function discardingStore(): { stdout: string[]; stderr: string[]; stdall: string[] } {
  const discard = (): string[] => Object.assign([] as string[], { push: () => 0 });
  return { stdout: discard(), stderr: discard(), stdall: discard() };
}

export const launchWithZx: LaunchProcess = (req) => {
  // Every option is given here instead of relying on zx's module-wide `$` defaults, which other
  // code in the same process may change (e.g. `useBash()` sets a `set -euo pipefail;` prefix).
  const shell = $({
    shell: '/bin/sh',
    prefix: '',
    postfix: '',
    cwd: req.cwd,
    env: { ...req.env },
    detached: true, // own process group: the whole tree can be signalled at once
    nothrow: true,
    quiet: true,
    verbose: false,
    stdio: ['ignore', 'pipe', 'pipe'],
    store: discardingStore(),
    log: (entry) => {
      if (entry.kind === 'stdout' || entry.kind === 'stderr') req.onOutput(entry.data, entry.kind);
    },
  });
  // A template call with one piece and no arguments runs the script verbatim (no quoting).
  const pieces = Object.assign([req.script], { raw: [req.script] });
  const promise = shell(pieces);

  let exitInfo: ProcessExit | undefined;
  const settled = promise.then(
    (out): ProcessExit => ({
      exitCode: out.exitCode,
      signal: out.signal,
      ...(out.exitCode === null && out.signal === null ? { startError: out.message || 'could not start' } : {}),
    }),
    (err: unknown): ProcessExit => ({ exitCode: null, signal: null, startError: String(err) }),
  );
  const child = promise.child;
  const leaderExit =
    child && child.pid !== undefined
      ? new Promise<ProcessExit>((resolve) => {
          child.once('exit', (code, signal) => resolve({ exitCode: code, signal }));
        })
      : settled;
  const exited = Promise.race([leaderExit, settled]).then((info) => {
    exitInfo = info;
    return info;
  });
  return {
    pid: promise.pid ?? 0,
    exited,
    drained: settled.then(() => undefined),
    exit: () => exitInfo,
    abandonOutput: () => {
      child?.stdout?.destroy();
      child?.stderr?.destroy();
    },
  };
};

/**
 * Signals the process group with `process.kill(-pid)`. zx's own `kill()` walks the process tree
 * with `ps` (slow, and it misses grandchildren whose parent already died and were re-parented to
 * init); the group reaches every process the script started unless one called `setsid` itself.
 */
export const signalProcessGroup: SignalGroup = (pid, signal) => {
  if (pid <= 0) return false;
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
};
