import t, { type Test } from 'tap';
import { createServer, type Server } from 'node:net';
import { redisPing } from '../../../src/drivers/shared/redis-ping.js';

/** A loopback server that answers each connection with the next scripted reply (or stays silent). */
async function server(t: Test, replies: (string | null)[]): Promise<number> {
  const srv: Server = createServer((socket) => {
    const reply = replies.shift();
    socket.once('data', () => (reply === null || reply === undefined ? undefined : socket.write(reply)));
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => srv.close(() => resolve())));
  const address = srv.address();
  return typeof address === 'object' && address ? address.port : 0;
}

t.test(
  'ready only when Redis answers PONG: loading, a silent listener and nothing listening are not ready',
  async (t) => {
    const port = await server(t, ['-LOADING Redis is loading the dataset in memory\r\n', null, '+PONG\r\n']);
    t.match(await redisPing('127.0.0.1', port, 500), { ok: false, output: /→ -LOADING/ });
    t.match(await redisPing('127.0.0.1', port, 300), {
      ok: false,
      unroutable: false,
      output: /no answer within 300 ms/,
    });
    t.match(await redisPing('127.0.0.1', port, 500), { ok: true, output: `PING to 127.0.0.1:${port} → +PONG` });
    const closed = await redisPing('127.0.0.1', 1, 500);
    t.match(closed, { ok: false, unroutable: false, output: /ECONNREFUSED/ });
  },
);
