/**
 * One attempt of a readiness probe against a service running on the host. Under the local driver
 * every port the plan declares for a service is the one free host port the driver picked.
 */
import { redisPing } from '../shared/redis-ping.js';
import type { ReadyProbeSpec } from '../../dsl/plan.js';
import { httpGet, tcpConnect } from '../shared/network-probes.js';
import type { ProbeResult } from '../shared/probe-result.js';
import { argvToScript } from './shell-quote.js';
import type { RunShortCommand } from './short-command.js';

/** What a probe needs to know about the service it probes. */
export interface ProbeTarget {
  readonly port: number;
  readonly declaredPorts: readonly number[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** How many output lines so far matched the log probe's pattern. */
  readonly countLogMatches: () => number;
}

export interface ProbeDeps {
  readonly runCommand: RunShortCommand;
}

/**
 * An exec probe written for a container names the container port (`pg_isready -p 5432`); on the
 * host the service listens on the free port instead. `${port}` anywhere in an argument and any
 * argument that is exactly a declared port number become the free port; `PORT` is exported too.
 */
export function hostProbeArgv(argv: readonly string[], port: number, declaredPorts: readonly number[]): string[] {
  const declared = new Set(declaredPorts.map(String));
  return argv.map((arg) => (declared.has(arg) ? String(port) : arg.split('${port}').join(String(port))));
}

export async function probeOnce(
  probe: ReadyProbeSpec,
  target: ProbeTarget,
  attemptTimeoutMs: number,
  deps: ProbeDeps,
): Promise<ProbeResult> {
  switch (probe.kind) {
    case 'tcp':
      return tcpConnect('127.0.0.1', target.port, attemptTimeoutMs);
    case 'http':
      return httpGet('127.0.0.1', target.port, probe.path, probe.status, attemptTimeoutMs);
    case 'redis':
      return redisPing('127.0.0.1', target.port, attemptTimeoutMs);
    case 'log': {
      const seen = target.countLogMatches();
      return { ok: seen >= probe.times, output: `log pattern /${probe.pattern}/ seen ${seen} of ${probe.times} times` };
    }
    case 'exec': {
      const argv = hostProbeArgv(probe.command, target.port, target.declaredPorts);
      const res = await deps.runCommand(argvToScript(argv), {
        cwd: target.cwd,
        env: { ...target.env, PORT: String(target.port) },
        timeoutMs: attemptTimeoutMs,
      });
      const expected = probe.expect === undefined || new RegExp(probe.expect).test(res.output);
      const verdict = res.timedOut
        ? `timed out after ${Math.round(attemptTimeoutMs)} ms`
        : `exit ${res.exitCode}${expected ? '' : `, output does not match /${probe.expect}/`}`;
      return {
        ok: res.exitCode === 0 && expected,
        output: `$ ${argv.join(' ')} → ${verdict}\n${res.output}`.trimEnd(),
      };
    }
  }
}
