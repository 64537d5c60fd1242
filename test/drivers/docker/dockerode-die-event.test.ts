/** The exit code read from the engine's event stream (`containers.died` on dockerode): parsing only. */
import t from 'tap';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { firstDie } from '../../../src/drivers/docker/engine/dockerode-containers.js';

/** A real stream (fixtures/docker-events/README.md): an attach, then the die of `exit 7`, a `café` label in both. */
const [attach, die] = readFileSync(
  path.resolve(import.meta.dirname, '../../../fixtures/docker-events/attach-die-exit7.jsonl'),
  'utf8',
)
  .split('\n')
  .filter(Boolean) as [string, string];

/** The real die event with its attributes edited (the README names these variants). */
const dieWith = (edit: (attributes: Record<string, string>) => void): string => {
  const event = JSON.parse(die) as { Actor: { Attributes: Record<string, string> } };
  edit(event.Actor.Attributes);
  return JSON.stringify(event);
};

t.test('the first die with an exit code wins, across chunks split anywhere (a character too)', async (t) => {
  const stream = new PassThrough();
  const died = firstDie(stream);
  const noCode = dieWith((a) => delete a['exitCode']);
  const later = dieWith((a) => (a['exitCode'] = '9'));
  const text = `${[attach, noCode, die, later].join('\n')}\n`;
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
  ended.end(`${attach}\n`);
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
