import { mkdtemp, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InfrastructureError } from '../../errors.js';
import type { PhaseHandle, PhaseOutcome, RunPhaseRequest, StepContext } from '../driver.js';
import type { Clock } from '../shared/clock.js';
import type { HostProcess, LaunchProcess, SignalGroup } from './host-process.js';
import { LineSplitter } from '../../text/line-splitter.js';
import { TailBuffer } from '../../text/tail-buffer.js';
import { OUT_ENV, snapshotOutputs, type OutputSnapshot, type PhaseFolders } from './phase-files.js';
import { reapGroup, terminateGroup } from './process-groups.js';
import { argvToScript } from './shell-quote.js';

export const PHASE_TAIL_LINES = 200;

export interface LocalPhase {
  readonly runId: string;
  readonly handle: PhaseHandle;
  readonly folders: PhaseFolders;
  /** The output paths outside `TESTPLAN_OUT` as they were before the attempt. */
  readonly before: OutputSnapshot;
}

export interface RunLocalPhaseDeps {
  readonly launch: LaunchProcess;
  readonly signal: SignalGroup;
  readonly clock: Clock;
  readonly cwd: string;
  readonly baseEnv: Readonly<Record<string, string | undefined>>;
  /** Folder the per-phase `TESTPLAN_OUT` folders are created in. */
  readonly tempRoot: string;
  readonly graceMs: number;
  /** Registers the process so cleanup and the runner's exit kill it; returns the way to forget it. */
  readonly track: (proc: HostProcess) => () => void;
}

/** `local.run` as written, or else the phase's command with each argument quoted. */
export function localPhaseScript(req: RunPhaseRequest): string {
  return req.local?.run ?? argvToScript(req.command);
}

async function phaseWorkdir(req: RunPhaseRequest, cwd: string): Promise<string> {
  const workdir = resolve(cwd, req.local?.workdir ?? '.');
  const info = await stat(workdir).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new InfrastructureError(
      'LOCAL_WORKDIR_MISSING',
      `phase "${req.name}" would run in ${workdir}, which is not a folder: fix phases.${req.name}.local.workdir ` +
        '(relative to the plan file) or create the folder.',
    );
  }
  return workdir;
}

const safe = (s: string): string => s.replace(/[^A-Za-z0-9_.-]/g, '_');

export async function runLocalPhase(
  req: RunPhaseRequest,
  ctx: StepContext,
  deps: RunLocalPhaseDeps,
): Promise<{ readonly outcome: PhaseOutcome; readonly phase: LocalPhase }> {
  const workdir = await phaseWorkdir(req, deps.cwd);
  const outDir = await mkdtemp(
    join(deps.tempRoot, `testplan-${safe(ctx.run.runId)}-${safe(req.name)}-${req.attempt}-`),
  );
  const folders = { outDir, workdir };
  const phase: LocalPhase = {
    runId: ctx.run.runId,
    handle: { id: `local:${ctx.run.runId}:${req.name}:${req.attempt}:${outDir}`, name: req.name },
    folders,
    before: await snapshotOutputs(req.outputs ?? [], folders),
  };
  const started = deps.clock.now();
  const tail = new TailBuffer(PHASE_TAIL_LINES);
  const outcome = (exitCode: number | null, timedOut: boolean, aborted: boolean): PhaseOutcome => ({
    exitCode,
    timedOut,
    aborted,
    durationMs: Math.round(deps.clock.now() - started),
    logTail: tail.last(),
    handle: phase.handle,
  });
  if (ctx.signal.aborted) return { outcome: outcome(null, false, true), phase };

  const splitter = (stream: 'stdout' | 'stderr'): LineSplitter =>
    new LineSplitter((line) => {
      tail.push(line);
      ctx.onLog(line, stream);
    });
  const out = { stdout: splitter('stdout'), stderr: splitter('stderr') };
  const proc = deps.launch({
    script: localPhaseScript(req),
    cwd: workdir,
    env: { ...deps.baseEnv, ...req.env, [OUT_ENV]: outDir },
    onOutput: (chunk, stream) => out[stream].write(chunk),
  });
  const forget = deps.track(proc);

  let stopReason: 'timeout' | 'abort' | undefined;
  const stopped = new AbortController();
  const stop = (reason: 'timeout' | 'abort'): void => {
    if (stopReason || proc.exit()) return;
    stopReason = reason;
    stopped.abort();
  };
  const onAbort = (): void => stop('abort');
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  const timer = new AbortController();
  if (req.timeoutMs !== undefined) {
    void deps.clock.sleep(req.timeoutMs, timer.signal).then(() => {
      if (!timer.signal.aborted) stop('timeout');
    });
  }

  const natural = proc.exited.then(() => 'exited' as const);
  const interrupted = new Promise<'stopped'>((res) => stopped.signal.addEventListener('abort', () => res('stopped')));
  const first = await Promise.race([natural, interrupted]);
  timer.abort();
  ctx.signal.removeEventListener('abort', onAbort);

  const exit =
    first === 'stopped'
      ? await terminateGroup(proc, { signal: deps.signal, clock: deps.clock, graceMs: deps.graceMs })
      : await reapGroup(proc, deps.signal, deps.clock);
  forget();
  out.stdout.flush();
  out.stderr.flush();
  if (exit.startError) tail.push(`could not start: ${exit.startError}`);
  return {
    outcome: outcome(stopReason ? null : exit.exitCode, stopReason === 'timeout', stopReason === 'abort'),
    phase,
  };
}
