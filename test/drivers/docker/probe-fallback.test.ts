import t from 'tap';
import { httpProbe, tcpProbe } from '../../../src/drivers/docker/probes/network-probes.js';
import { requireEngine, runWithImage, testEngine } from './harness.js';

t.test('without a routable address, tcp and http probes run a client inside the service container', async (t) => {
  if (!requireEngine(t)) return;
  const { driver, ctx, image: client } = await runWithImage(t, 'client');
  const svc = await driver.startService(
    {
      name: 'listener',
      image: client,
      command: ['nc', '-lk', '7000'],
      env: {},
      ports: [7000, 7001],
      sharedNamespace: false,
    },
    ctx,
  );
  await driver.waitReady(svc, { kind: 'tcp', port: 7000, intervalMs: 50, timeoutMs: 10_000 }, ctx);
  const signal = new AbortController().signal;
  const target = { exec: testEngine().exec, containerId: svc.id };

  t.match(await tcpProbe(target, 7000)(signal, 1000), { ok: true }, 'a listening port passes');
  t.match(await tcpProbe(target, 7001)(signal, 1000), { ok: false }, 'a port where nothing listens fails');
  const http = await httpProbe(target, 7000, '/health')(signal, 1000);
  // No curl or wget there: HTTP by hand over bash's /dev/tcp, and nc never answers it.
  t.match(http, { ok: false }, 'a listener that does not speak HTTP fails');
});
