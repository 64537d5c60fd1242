/**
 * The TCP and HTTP probe primitives every driver uses: one connect, one GET, each bounded by a
 * timeout, reporting what they saw. Drivers choose the address (a container's IP on the run
 * network, or 127.0.0.1 and a free host port) and what to do when it is unroutable.
 */
import { request } from 'node:http';
import { connect } from 'node:net';
import { describeError, type NetworkProbeResult } from './probe-result.js';

const UNROUTABLE = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);
const BODY_KEPT = 500;

export function tcpConnect(host: string, port: number, timeoutMs: number): Promise<NetworkProbeResult> {
  const ms = Math.max(1, Math.round(timeoutMs));
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const finish = (result: NetworkProbeResult): void => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(ms, () =>
      finish({ ok: false, output: `tcp ${host}:${port}: no answer in ${ms} ms`, unroutable: true }),
    );
    socket.once('connect', () => finish({ ok: true, output: `tcp ${host}:${port}: connected`, unroutable: false }));
    socket.once('error', (err: NodeJS.ErrnoException) =>
      finish({
        ok: false,
        output: `tcp ${host}:${port}: ${describeError(err)}`,
        unroutable: UNROUTABLE.has(err.code ?? ''),
      }),
    );
  });
}

/** GET; passes on `status` when given, else on any 2xx/3xx (redirects are not followed). */
export function httpGet(
  host: string,
  port: number,
  path: string,
  status: number | undefined,
  timeoutMs: number,
): Promise<NetworkProbeResult> {
  const ms = Math.max(1, Math.round(timeoutMs));
  const url = `http://${host}:${port}${path.startsWith('/') ? '' : '/'}${path}`;
  const wanted = status === undefined ? '2xx/3xx' : String(status);
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', timeout: ms }, (res) => {
      const code = res.statusCode ?? 0;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        if (body.length < BODY_KEPT) body += d.slice(0, BODY_KEPT - body.length);
      });
      res.on('end', () => {
        const ok = status === undefined ? code >= 200 && code < 400 : code === status;
        resolve({
          ok,
          output: `GET ${url} → ${code} (want ${wanted})${body.trim() ? `: ${body.trim()}` : ''}`,
          unroutable: false,
        });
      });
      res.on('error', (err) => resolve({ ok: false, output: `GET ${url} → ${describeError(err)}`, unroutable: false }));
    });
    req.once('timeout', () => req.destroy(Object.assign(new Error(`no answer in ${ms} ms`), { code: 'ETIMEDOUT' })));
    req.once('error', (err: NodeJS.ErrnoException) =>
      resolve({
        ok: false,
        output: `GET ${url} → ${describeError(err)}`,
        unroutable: UNROUTABLE.has(err.code ?? '') || err.code === 'ETIMEDOUT',
      }),
    );
    req.end();
  });
}
