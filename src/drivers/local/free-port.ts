import { createServer } from 'node:net';

/** Returns a TCP port on 127.0.0.1 that nothing listens on right now. */
export type FindFreePort = () => Promise<number>;

/**
 * Asks the kernel for an ephemeral port and releases it at once. Another process could take the
 * port before the service binds it; the kernel hands ephemeral ports out round-robin, which makes
 * that rare enough for test services.
 */
export const findFreePort: FindFreePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('the kernel returned no port'))));
    });
  });
