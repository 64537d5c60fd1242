/** The exit code read from the engine's event stream (`containers.died` on dockerode): parsing only. */
import t from 'tap';
import { PassThrough } from 'node:stream';
import { firstDie } from '../../../src/drivers/docker/engine/dockerode-containers.js';

const event = (action: string, attributes: Record<string, string>) =>
  `${JSON.stringify({ Type: 'container', Action: action, Actor: { ID: 'abc', Attributes: attributes } })}\n`;

t.test('the first die with an exit code wins, across chunks split anywhere (a character too)', async (t) => {
  const stream = new PassThrough();
  const died = firstDie(stream);
  const text =
    event('attach', {}) +
    event('die', { name: 'no-code' }) +
    event('die', { exitCode: '7', 'testplan.plan': 'café' }) +
    event('die', { exitCode: '9' });
  const bytes = Buffer.from(text);
  const cut = bytes.indexOf(Buffer.from('é')) + 1; // inside the two bytes of é
  stream.write(bytes.subarray(0, 5));
  stream.write(bytes.subarray(5, cut));
  stream.write(bytes.subarray(cut));
  t.same(await died, { exitCode: 7 });
});

t.test('a stream that ends, fails or is aborted without a die rejects', async (t) => {
  const ended = new PassThrough();
  const endedDie = firstDie(ended);
  ended.end(event('start', {}));
  await t.rejects(endedDie, /event stream ended/);

  const broken = new PassThrough();
  const brokenDie = firstDie(broken);
  broken.destroy(new Error('socket hang up'));
  await t.rejects(brokenDie, /socket hang up/);

  const stop = new AbortController();
  const aborted = new PassThrough();
  const abortedDie = firstDie(aborted, stop.signal);
  stop.abort();
  aborted.destroy();
  await t.rejects(abortedDie, /aborted/);
});
