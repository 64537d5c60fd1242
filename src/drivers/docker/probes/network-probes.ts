/**
 * TCP and HTTP probes that reach the service on the run network, never through a published
 * host port: docker-proxy accepts a connect on a published port even when nothing listens.
 * First choice: connect to the container's address on the run network (routable from the
 * engine's host on Linux). When that address is not routable from here (a remote engine), fall
 * back to a client run inside the service container with exec.
 */
import { httpGet, tcpConnect } from '../../shared/network-probes.js';
import type { NetworkProbeResult, ProbeAttempt } from '../../shared/probe-result.js';
import { redisPing } from '../../shared/redis-ping.js';
import type { ExecPort } from '../engine/engine.js';
import { execProbe } from './exec-probe.js';

/** A connect that takes longer than this on the run network means the address is not routable from here. */
const CONNECT_TIMEOUT_MS = 1000;

interface Target {
  readonly exec: ExecPort;
  readonly containerId: string;
  /** The service's address on the run network, when known. */
  readonly ip?: string;
}

export function tcpProbe(target: Target, port: number): ProbeAttempt {
  const fallback = execProbe(target.exec, target.containerId, ['sh', '-c', tcpScript(port)]);
  return withFallback(target.ip, fallback, (ip) => tcpConnect(ip, port, CONNECT_TIMEOUT_MS));
}

export function httpProbe(target: Target, port: number, path: string, status?: number): ProbeAttempt {
  const fallback = execProbe(target.exec, target.containerId, ['sh', '-c', httpScript(port, path, status)]);
  return withFallback(target.ip, fallback, (ip) => httpGet(ip, port, path, status, CONNECT_TIMEOUT_MS));
}

/** Redis PING from the runner to the container's address; inside the container with redis-cli when unroutable. */
export function redisProbe(target: Target, port: number): ProbeAttempt {
  const fallback = execProbe(
    target.exec,
    target.containerId,
    ['redis-cli', '-h', '127.0.0.1', '-p', String(port), 'ping'],
    '^PONG',
  );
  return withFallback(target.ip, fallback, (ip) => redisPing(ip, port, CONNECT_TIMEOUT_MS));
}

function withFallback(
  ip: string | undefined,
  fallback: ProbeAttempt,
  direct: (ip: string) => Promise<NetworkProbeResult>,
): ProbeAttempt {
  let useFallback = ip === undefined;
  return async (signal, timeoutMs) => {
    if (useFallback || ip === undefined) return fallback(signal, timeoutMs);
    const result = await direct(ip);
    if (!result.unroutable) return { ok: result.ok, output: result.output };
    useFallback = true;
    return fallback(signal, timeoutMs);
  };
}

function tcpScript(port: number): string {
  return (
    `if command -v nc >/dev/null 2>&1; then nc -z -w 1 127.0.0.1 ${port}; ` +
    `elif command -v bash >/dev/null 2>&1; then bash -c 'exec 3<>/dev/tcp/127.0.0.1/${port}'; ` +
    `else echo "tcp probe needs nc or bash in the service image; use an exec probe"; exit 2; fi`
  );
}

/** curl, wget, or (images with neither) HTTP/1.0 by hand over bash's /dev/tcp, printing the status line. */
function httpScript(port: number, path: string, status?: number): string {
  const url = `http://127.0.0.1:${port}${path}`;
  const wanted = status !== undefined ? `*" ${status} "*` : '*" 2"[0-9][0-9]" "*';
  const byHand =
    `exec 3<>/dev/tcp/127.0.0.1/${port} && printf "GET ${path} HTTP/1.0\\r\\nHost: 127.0.0.1\\r\\n\\r\\n" >&3 && ` +
    `read -r -t 3 line <&3 && echo "$line" && case "$line" in ${wanted}) exit 0;; *) exit 1;; esac`;
  return (
    `if command -v curl >/dev/null 2>&1; then curl -fsS -o /dev/null '${url}'; ` +
    `elif command -v wget >/dev/null 2>&1; then wget -q -O /dev/null '${url}'; ` +
    `elif command -v bash >/dev/null 2>&1; then bash -c '${byHand}'; ` +
    `else echo "http probe needs curl, wget or bash in the service image; use an exec probe"; exit 2; fi`
  );
}
