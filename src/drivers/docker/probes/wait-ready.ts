/**
 * Polls a readiness probe fast (at the probe interval for the first second, then backing off to
 * MAX_INTERVAL_MS) until it passes, the timeout or the retries run out, the run is aborted, or
 * the container exits; an exit is noticed at once through the engine's wait call.
 */
import type { ReadyProbeSpec } from '../../../dsl/plan.js';
import type { ReadyOutcome } from '../../driver.js';
import type { Clock } from '../clock.js';
import type { Engine } from '../engine/engine.js';
import { execProbe } from './exec-probe.js';
import { watchLogFor, type LogMatch } from './log-probe.js';
import { httpProbe, redisProbe, tcpProbe } from './network-probes.js';
import type { ProbeAttempt, ProbeResult } from './probe-attempt.js';

export const MAX_INTERVAL_MS = 500;
/** Most services are ready within this long (Redis ~50 ms, PostgreSQL ~200 ms): poll at the full rate until then. */
export const FAST_PHASE_MS = 1000;
const BACKOFF = 1.5;

export interface ReadyTarget {
  readonly containerId: string;
  /** Address on the run network (the namespace owner's when the service shares it). */
  readonly ip?: string;
}

export interface WaitReadyDeps {
  readonly engine: Engine;
  readonly clock: Clock;
  readonly logTail: (lines: number) => Promise<readonly string[]>;
}

type Interrupt = { readonly kind: 'exited'; readonly exitCode?: number } | { readonly kind: 'timeout' } | { readonly kind: 'aborted' };

export async function waitUntilReady(
  deps: WaitReadyDeps,
  target: ReadyTarget,
  probe: ReadyProbeSpec,
  signal: AbortSignal,
): Promise<ReadyOutcome> {
  const { clock } = deps;
  const started = clock.now();
  const stop = new AbortController();
  const linked = AbortSignal.any([signal, stop.signal]);
  const interrupt = firstInterrupt(deps, target.containerId, probe.timeoutMs, signal, stop.signal);
  let probes = 0;
  let lastProbeOutput = '';

  const fail = async (reason: 'timeout' | 'exited' | 'retries' | 'aborted', exitCode?: number): Promise<ReadyOutcome> => {
    const elapsedMs = clock.now() - started;
    const logTail = await deps.logTail(50).catch(() => [] as string[]);
    return { ready: false, reason, elapsedMs, probes, lastProbeOutput, logTail, ...(exitCode !== undefined ? { exitCode } : {}) };
  };
  const failFor = (i: Interrupt) => fail(i.kind, i.kind === 'exited' ? i.exitCode : undefined);

  try {
    if (probe.kind === 'log') {
      const progress = (m: LogMatch) => {
        probes = m.count;
        lastProbeOutput = `${m.count}/${probe.times} lines matched /${probe.pattern}/; last line: ${m.lastLine}`;
      };
      progress({ matched: false, count: 0, lastLine: '' });
      const watch = watchLogFor(deps.engine.containers, target.containerId, probe.pattern, probe.times, linked, progress);
      const r = await Promise.race([watch.then((m) => ({ match: m })), interrupt]);
      if ('kind' in r) return failFor(r);
      if (r.match.matched) return { ready: true, elapsedMs: clock.now() - started, probes };
      // The log stream ended: the container stopped; the wait call tells how.
      return failFor(await interrupt);
    }

    const attempt = probeAttempt(deps.engine, target, probe);
    let interval = Math.max(1, probe.intervalMs);
    let failures = 0;
    for (;;) {
      const r: ProbeResult | Interrupt = await Promise.race([attempt(linked), interrupt]);
      if ('kind' in r) return failFor(r);
      probes++;
      lastProbeOutput = r.output;
      if (r.ok) return { ready: true, elapsedMs: clock.now() - started, probes };
      failures++;
      // As a HEALTHCHECK's retries: give up after that many failed probes.
      if (probe.retries !== undefined && probe.retries > 0 && failures >= probe.retries) return fail('retries');
      const slept = await Promise.race([clock.sleep(interval, linked).then(() => undefined), interrupt]);
      if (slept) return failFor(slept);
      if (clock.now() - started > FAST_PHASE_MS) interval = Math.min(MAX_INTERVAL_MS, interval * BACKOFF);
    }
  } finally {
    stop.abort();
  }
}

function probeAttempt(engine: Engine, target: ReadyTarget, probe: Exclude<ReadyProbeSpec, { kind: 'log' }>): ProbeAttempt {
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

/** Resolves with whatever ends the wait first: the container exiting, the timeout, or an abort. */
function firstInterrupt(
  deps: WaitReadyDeps,
  containerId: string,
  timeoutMs: number,
  runSignal: AbortSignal,
  stop: AbortSignal,
): Promise<Interrupt> {
  const exited = deps.engine.containers
    .wait(containerId, stop)
    .then(
      (r) => ({ kind: 'exited' as const, ...(r.exitCode !== null ? { exitCode: r.exitCode } : {}) }),
      () => new Promise<never>(() => undefined),
    );
  const timedOut = deps.clock.sleep(timeoutMs, stop).then(() =>
    stop.aborted ? new Promise<never>(() => undefined) : { kind: 'timeout' as const },
  );
  const aborted = new Promise<Interrupt>((resolve) => {
    if (runSignal.aborted) return resolve({ kind: 'aborted' });
    const onAbort = () => resolve({ kind: 'aborted' });
    runSignal.addEventListener('abort', onAbort, { once: true });
    stop.addEventListener('abort', () => runSignal.removeEventListener('abort', onAbort), { once: true });
  });
  return Promise.race([exited, timedOut, aborted]);
}
