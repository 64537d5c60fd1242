/** The adapter reads build and pull progress with docker-modem's followProgress, decoding UTF-8 across chunks. */
import t from 'tap';
import Dockerode from 'dockerode';
import { PassThrough } from 'node:stream';
import { followProgress } from '../../../src/drivers/docker/engine/dockerode-engine.js';
import type { ProgressMessage } from '../../../src/drivers/docker/engine/engine.js';

// No connection is made: only the modem's stream reader is used.
const modem = new Dockerode({ socketPath: '/nonexistent.sock' }).modem;

t.test('a character cut between two chunks comes out whole', async (t) => {
  const bytes = Buffer.from(
    `${JSON.stringify({ stream: 'grüße ✓\n' })}\r\n${JSON.stringify({ aux: { ID: 'sha256:x' } })}\r\n`,
  );
  const cut = bytes.indexOf(Buffer.from('ü')) + 1; // inside the two bytes of ü
  const stream = new PassThrough();
  const seen: ProgressMessage[] = [];
  const done = followProgress(modem, stream, (m) => seen.push(m));
  stream.write(bytes.subarray(0, cut));
  stream.write(bytes.subarray(cut, cut + 5));
  stream.end(bytes.subarray(cut + 5));
  await done;
  t.same(seen, [{ stream: 'grüße ✓\n' }, { aux: { ID: 'sha256:x' } }]);
});

t.test('a broken stream rejects; error messages in the stream are passed on', async (t) => {
  const stream = new PassThrough();
  const seen: ProgressMessage[] = [];
  const done = followProgress(modem, stream, (m) => seen.push(m));
  stream.write('{"error":"pull access denied"}\n');
  setImmediate(() => stream.destroy(new Error('socket hang up')));
  await t.rejects(done, { message: 'socket hang up' });
  t.same(seen, [{ error: 'pull access denied' }]);
});
