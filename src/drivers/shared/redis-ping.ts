/**
 * A readiness check that speaks Redis: `PING` over TCP, ready on `+PONG`. A listening socket is not
 * enough (a Redis loading its data set answers `-LOADING`), and speaking the protocol from the runner
 * costs a millisecond where an exec of `redis-cli` in the container costs ~100 ms.
 */
import { connect } from 'node:net';
import type { NetworkProbeResult } from './probe-result.js';

const UNREACHABLE = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

export function redisPing(host: string, port: number, timeoutMs: number): Promise<NetworkProbeResult> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let reply = '';
    let connected = false;
    const finish = (result: Omit<NetworkProbeResult, 'unroutable'> & { unroutable?: boolean }): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ unroutable: false, ...result });
    };
    const timer = setTimeout(
      () =>
        finish({
          ok: false,
          output: `PING to ${host}:${port}: no answer within ${timeoutMs} ms`,
          unroutable: !connected,
        }),
      timeoutMs,
    );
    socket.once('connect', () => {
      connected = true;
      socket.write('PING\r\n');
    });
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      reply += chunk;
      const line = reply.split('\r\n')[0];
      if (reply.includes('\r\n')) finish({ ok: line === '+PONG', output: `PING to ${host}:${port} → ${line}` });
    });
    socket.once('error', (err: NodeJS.ErrnoException) =>
      finish({
        ok: false,
        output: `PING to ${host}:${port}: ${err.code ?? err.message}`,
        unroutable: UNREACHABLE.has(err.code ?? ''),
      }),
    );
    socket.once('end', () =>
      finish({
        ok: false,
        output: `PING to ${host}:${port}: connection closed${reply ? ` after ${JSON.stringify(reply)}` : ''}`,
      }),
    );
  });
}
