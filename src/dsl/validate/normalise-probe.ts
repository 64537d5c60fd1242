/** Ready probes in their runnable form: presets become TCP-speaking exec probes. */
import type { ReadyProbeInput } from '../types.js';
import type { ReadyProbeSpec } from '../plan.js';
import { parseDuration } from '../duration.js';
import { PRESET_PORTS } from './rule-values.js';

export const DEFAULT_PROBE_INTERVAL_MS = 50;
export const DEFAULT_PROBE_TIMEOUT_MS = 60_000;

export function toCommand(command: string | readonly string[]): string[] {
  return typeof command === 'string' ? ['sh', '-c', command] : [...command];
}

/**
 * Presets probe over TCP on 127.0.0.1 inside the container: during initialisation PostgreSQL and
 * the entrypoint's temporary server listen on the unix socket only, so a socket probe says
 * "ready" too early.
 */
export function normaliseProbe(probe: ReadyProbeInput): ReadyProbeSpec {
  const timing = {
    intervalMs: parseDuration(probe.interval ?? '50ms') ?? DEFAULT_PROBE_INTERVAL_MS,
    timeoutMs: parseDuration(probe.timeout ?? '60s') ?? DEFAULT_PROBE_TIMEOUT_MS,
    ...(probe.retries === undefined ? {} : { retries: probe.retries }),
  };
  if ('exec' in probe)
    return {
      ...timing,
      kind: 'exec',
      command: toCommand(probe.exec),
      ...(probe.expect === undefined ? {} : { expect: probe.expect }),
    };
  if ('tcp' in probe) return { ...timing, kind: 'tcp', port: probe.tcp.port };
  if ('http' in probe) {
    const { port, path = '/', status } = probe.http;
    return { ...timing, kind: 'http', port, path, ...(status === undefined ? {} : { status }) };
  }
  if ('log' in probe) {
    const log = typeof probe.log === 'string' ? { pattern: probe.log } : probe.log;
    return { ...timing, kind: 'log', pattern: log.pattern, times: log.times ?? 1 };
  }
  if (probe.preset === 'redis') return { ...timing, kind: 'redis', port: probe.port ?? PRESET_PORTS.redis };
  const port = String(probe.port ?? PRESET_PORTS[probe.preset]);
  const user = probe.user === undefined ? [] : ['-U', probe.user];
  const database = probe.database === undefined ? [] : ['-d', probe.database];
  return { ...timing, kind: 'exec', command: ['pg_isready', '-h', '127.0.0.1', '-p', port, ...user, ...database] };
}
