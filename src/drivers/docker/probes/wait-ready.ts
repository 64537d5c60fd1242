/**
 * Readiness under Docker: the shared loop (drivers/shared/wait-ready.ts) with Docker's probe
 * attempts, the engine's wait call to notice an exit at once, and the container's log for log probes.
 */
import type Dockerode from 'dockerode';
import type { ReadyProbeSpec } from '../../../dsl/plan.js';
import type { ReadyOutcome, ServiceExit } from '../../driver.js';
import type { Clock } from '../../shared/clock.js';
import type { ProbeAttempt } from '../../shared/probe-result.js';
import { waitUntilReady as pollUntilReady } from '../../shared/wait-ready.js';
import { execProbe } from './exec-probe.js';
import { watchLogFor } from './log-probe.js';
import { httpProbe, redisProbe, tcpProbe } from './network-probes.js';

export interface ReadyTarget {
  readonly containerId: string;
  /** Address on the run network (the namespace owner's when the service shares it). */
  readonly ip?: string;
}

export interface WaitReadyDeps {
  readonly docker: Dockerode;
  readonly clock: Clock;
  readonly logTail: (lines: number) => Promise<readonly string[]>;
  /** How the container ended, once it has. */
  readonly exitOf: (containerId: string) => Promise<ServiceExit | undefined>;
}

export async function waitUntilReady(deps: WaitReadyDeps, target: ReadyTarget, probe: ReadyProbeSpec, signal: AbortSignal): Promise<ReadyOutcome> {
  const exited = async (stop: AbortSignal): Promise<ServiceExit> => {
    const r = (await deps.docker.getContainer(target.containerId).wait({ condition: 'not-running', abortSignal: stop })) as { StatusCode?: number };
    return (await deps.exitOf(target.containerId).catch(() => undefined)) ?? { exitCode: typeof r.StatusCode === 'number' ? r.StatusCode : null, at: new Date().toISOString() };
  };
  if (probe.kind !== 'log') {
    return pollUntilReady(probe, { attempt: probeAttempt(deps.docker, target, probe), exited, logTail: deps.logTail }, signal, deps.clock);
  }
  // The log is followed for the whole wait; each "attempt" reads the count, and a matching line wakes the loop.
  const stop = new AbortController();
  let wake: (() => void) | undefined;
  let seen = { count: 0, lastLine: '' };
  void watchLogFor(deps.docker, target.containerId, probe.pattern, probe.times, AbortSignal.any([signal, stop.signal]), (m) => {
    const matched = m.count > seen.count;
    seen = m;
    if (matched) wake?.();
  }).catch(() => undefined);
  try {
    return await pollUntilReady(
      probe,
      {
        attempt: async () => ({
          ok: seen.count >= probe.times,
          output: `${seen.count}/${probe.times} lines matched /${probe.pattern}/; last line: ${seen.lastLine}`,
        }),
        exited,
        logTail: deps.logTail,
        onChange: (changed) => {
          wake = changed;
          return () => (wake = undefined);
        },
      },
      signal,
      deps.clock,
    );
  } finally {
    stop.abort();
  }
}

function probeAttempt(docker: Dockerode, target: ReadyTarget, probe: Exclude<ReadyProbeSpec, { kind: 'log' }>): ProbeAttempt {
  const t = { docker, containerId: target.containerId, ...(target.ip ? { ip: target.ip } : {}) };
  switch (probe.kind) {
    case 'exec':
      return execProbe(docker, target.containerId, probe.command, probe.expect);
    case 'tcp':
      return tcpProbe(t, probe.port);
    case 'http':
      return httpProbe(t, probe.port, probe.path, probe.status);
    case 'redis':
      return redisProbe(t, probe.port);
  }
}
