import { InfrastructureError } from '../../errors.js';
import type { ServiceExit, ServiceHandle, StartServiceRequest, StepContext } from '../driver.js';
import type { HostProcess, LaunchProcess } from './host-process.js';
import { LineSplitter } from '../../text/line-splitter.js';
import { TailBuffer } from '../../text/tail-buffer.js';

export const SERVICE_TAIL_LINES = 200;

/** A service process the local driver started, with what probes and failure reports need. */
export interface LocalService {
  readonly runId: string;
  readonly handle: ServiceHandle;
  readonly proc: HostProcess;
  readonly port: number;
  readonly declaredPorts: readonly number[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly tail: TailBuffer;
  /** Resolves when the service's process exits, with the time it was noticed. */
  readonly exited: Promise<ServiceExit>;
  /** Set once `exited` resolved. */
  exit(): ServiceExit | undefined;
  /** Called with every output line; log probes subscribe here. */
  readonly lineListeners: Set<(line: string) => void>;
}

export interface StartLocalServiceDeps {
  readonly launch: LaunchProcess;
  readonly cwd: string;
  readonly baseEnv: Readonly<Record<string, string | undefined>>;
}

/** `${port}` in `local.command` becomes the free host port the service must listen on. */
export function localServiceScript(command: string, port: number): string {
  return command.split('${port}').join(String(port));
}

export function startLocalService(
  req: StartServiceRequest,
  port: number,
  ctx: StepContext,
  deps: StartLocalServiceDeps,
): LocalService {
  if (!req.local?.command) {
    throw new InfrastructureError(
      'LOCAL_COMMAND_MISSING',
      `service "${req.name}" has no local command: --driver local runs services as host processes and needs ` +
        `services.${req.name}.local.command (e.g. local: { command: 'redis-server --port \${port}' }), ` +
        'or run with --driver docker.',
    );
  }
  const env = { ...deps.baseEnv, ...req.env, ...req.local.env, PORT: String(port) };
  const tail = new TailBuffer(SERVICE_TAIL_LINES);
  const lineListeners = new Set<(line: string) => void>();
  const splitter = (stream: 'stdout' | 'stderr'): LineSplitter =>
    new LineSplitter((line) => {
      tail.push(line);
      for (const listener of lineListeners) listener(line);
      ctx.onLog(line, stream);
    });
  const out = { stdout: splitter('stdout'), stderr: splitter('stderr') };
  const proc = deps.launch({
    script: localServiceScript(req.local.command, port),
    cwd: deps.cwd,
    env,
    onOutput: (chunk, stream) => out[stream].write(chunk),
  });
  void proc.drained.then(() => {
    out.stdout.flush();
    out.stderr.flush();
  });
  let ended: ServiceExit | undefined;
  const exited = proc.exited.then((exit) => {
    if (exit.startError) tail.push(`could not start: ${exit.startError}`);
    ended = { exitCode: exit.exitCode, at: new Date().toISOString() };
    return ended;
  });
  const handle: ServiceHandle = {
    name: req.name,
    id: `local:${ctx.run.runId}:${req.name}:${proc.pid}`,
    host: '127.0.0.1',
    port,
    published: Object.fromEntries(req.ports.map((declared) => [declared, port])),
  };
  return {
    runId: ctx.run.runId,
    handle,
    proc,
    port,
    declaredPorts: req.ports,
    env,
    tail,
    lineListeners,
    exited,
    exit: () => ended,
  };
}

/** Counts output lines matching `pattern`: those still in the tail now, then every new one. */
export function matchCounter(service: LocalService, pattern: RegExp): { count: () => number; stop: () => void } {
  let count = service.tail.last().filter((line) => pattern.test(line)).length;
  const stop = watchLines(service, () => (count += 1), pattern);
  return { count: () => count, stop };
}

/** Calls `onLine` for each new output line (matching `pattern`, when given); returns the way to stop. */
export function watchLines(service: LocalService, onLine: () => void, pattern?: RegExp): () => void {
  const listener = (line: string): void => {
    if (!pattern || pattern.test(line)) onLine();
  };
  service.lineListeners.add(listener);
  return () => service.lineListeners.delete(listener);
}
