import t from 'tap';
import fc from 'fast-check';
import { LineSplitter, TailBuffer, outputLines } from '../../../src/drivers/docker/log-lines.js';

t.test('lines come out whole however the chunks are cut', async (t) => {
  fc.assert(
    fc.property(fc.array(fc.stringMatching(/^[a-z \r]{0,8}$/), { maxLength: 8 }), fc.array(fc.nat(40), { maxLength: 6 }), (lines, cuts) => {
      const text = lines.map((l) => `${l}\n`).join('');
      const out: string[] = [];
      const splitter = new LineSplitter((l) => out.push(l));
      let at = 0;
      for (const c of [...cuts].sort((a, b) => a - b)) {
        splitter.push(text.slice(at, Math.max(at, c)));
        at = Math.max(at, c);
      }
      splitter.push(text.slice(at));
      splitter.flush();
      return JSON.stringify(out) === JSON.stringify(lines.map((l) => l.replace(/\r$/, '')));
    }),
  );
  const out: string[] = [];
  const s = new LineSplitter((l) => out.push(l));
  s.push('no newline');
  t.same(out, []);
  s.flush();
  t.same(out, ['no newline'], 'a last line without newline is kept on flush');
});

t.test('the tail keeps only the last lines', async (t) => {
  const tail = new TailBuffer(3);
  for (const l of ['a', 'b', 'c', 'd', 'e']) tail.add(l);
  t.same(tail.snapshot(), ['c', 'd', 'e']);
});

t.test('output chunks become lines per stream, a line cut between chunks kept whole', async (t) => {
  const seen: string[] = [];
  const lines = outputLines((line, stream) => seen.push(`${stream}:${line}`));
  lines.push(Buffer.from('out one\nout '), 'stdout');
  lines.push(Buffer.from('err\n'), 'stderr');
  lines.push(Buffer.from('two\nlast'), 'stdout');
  lines.flush();
  t.same(seen, ['stdout:out one', 'stderr:err', 'stdout:out two', 'stdout:last']);
});
