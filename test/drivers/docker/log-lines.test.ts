import t from 'tap';
import { outputLines } from '../../../src/drivers/docker/log-lines.js';

t.test('output chunks become lines per stream, a line cut between chunks kept whole', async (t) => {
  const seen: string[] = [];
  const lines = outputLines((line, stream) => seen.push(`${stream}:${line}`));
  lines.push(Buffer.from('out one\nout '), 'stdout');
  lines.push(Buffer.from('err\n'), 'stderr');
  lines.push(Buffer.from('two\nlast'), 'stdout');
  lines.flush();
  t.same(seen, ['stdout:out one', 'stderr:err', 'stdout:out two', 'stdout:last']);
});

t.test('a character split between chunks comes out whole', async (t) => {
  const seen: string[] = [];
  const lines = outputLines((line) => seen.push(line));
  const bytes = Buffer.from('h€llo\n');
  lines.push(bytes.subarray(0, 2), 'stdout');
  lines.push(bytes.subarray(2), 'stdout');
  lines.flush();
  t.same(seen, ['h€llo']);
});
