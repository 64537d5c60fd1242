/**
 * Readiness under Docker: the shared loop (drivers/shared/wait-ready.ts) with Docker's probe
 * attempts, the engine's wait call to notice an exit at once, and the container's log followed: it
 * brings probes forward, and log probes count its lines.
 */
import type { ReadyProbeSpec } from '../../../dsl/plan.js';
import type { ReadyOutcome, ServiceExit } from '../../driver.js';
import type { Clock } from '../../shared/clock.js';
import type { ProbeAttempt } from '../../shared/probe-result.js';
import type { Engine } from '../engine/engine.js';
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
  readonly engine: Engine;
  readonly clock: Clock;
  readonly logTail: (lines: number) => Promise<readonly string[]>;
  /** How the container ended, once it has. */
  readonly exitOf: (containerId: string) => Promise<ServiceExit | undefined>;
}

export async function waitUntilReady(
  deps: WaitReadyDeps,
  target: ReadyTarget,
  probe: ReadyProbeSpec,
  signal: AbortSignal,
): Promise<ReadyOutcome> {
  const exited = async (stop: AbortSignal): Promise<ServiceExit> => {
    const r = await deps.engine.containers.wait(target.containerId, stop);
    return (
      (await deps.exitOf(target.containerId).catch(() => undefined)) ?? {
        exitCode: r.exitCode,
        at: new Date().toISOString(),
      }
    );
  };
  const stop = new AbortController();
  const watching = AbortSignal.any([signal, stop.signal]);
  let wake: (() => void) | undefined;
  const onChange = (changed: () => void) => {
    wake = changed;
    return () => (wake = undefined);
  };
  try {
    if (probe.kind !== 'log') {
      // The log is followed for the whole wait: a service prints as it becomes ready, so output brings the next probe forward.
      void deps.engine.containers
        .logs(target.containerId, { follow: true, signal: watching }, () => wake?.())
        .catch(() => undefined);
      const attempt = probeAttempt(deps.engine, target, probe);
      return await pollUntilReady(probe, { attempt, exited, logTail: deps.logTail, onChange }, signal, deps.clock);
    }
    // Each "attempt" reads the count of matching lines, and a matching line wakes the loop.
    let seen = { count: 0, lastLine: '' };
    void watchLogFor(deps.engine.containers, target.containerId, probe.pattern, probe.times, watching, (m) => {
      const matched = m.count > seen.count;
      seen = m;
      if (matched) wake?.();
    }).catch(() => undefined);
    const attempt = async () => ({
      ok: seen.count >= probe.times,
      output: `${seen.count}/${probe.times} lines matched /${probe.pattern}/; last line: ${seen.lastLine}`,
    });
    return await pollUntilReady(probe, { attempt, exited, logTail: deps.logTail, onChange }, signal, deps.clock);
  } finally {
    stop.abort();
  }
}

function probeAttempt(
  engine: Engine,
  target: ReadyTarget,
  probe: Exclude<ReadyProbeSpec, { kind: 'log' }>,
): ProbeAttempt {
  const t = { exec: engine.exec, containerId: target.containerId, ...(target.ip ? { ip: target.ip } : {}) };
  switch (probe.kind) {
    case 'exec':
      return execProbe(engine.exec, target.containerId, probe.command, probe.expect);
    case 'tcp':
      return tcpProbe(t, probe.port);
    case 'http':
      return httpProbe(t, probe.port, probe.path, probe.status);
    case 'redis':
      return redisProbe(t, probe.port);
  }
}
