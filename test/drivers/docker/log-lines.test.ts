import t from 'tap';
import fc from 'fast-check';
import { LineSplitter, StreamDemuxer, TailBuffer, demuxLines } from '../../../src/drivers/docker/log-lines.js';

function frame(stream: 1 | 2, text: string): Buffer {
  const body = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

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

t.test('multiplexed frames split into stdout and stderr even when cut mid-header', async (t) => {
  const data = Buffer.concat([frame(1, 'out one\nout '), frame(2, 'err\n'), frame(1, 'two\n')]);
  const seen: string[] = [];
  const lines = demuxLines((line, stream) => seen.push(`${stream}:${line}`));
  for (let i = 0; i < data.length; i += 3) lines.push(data.subarray(i, i + 3));
  lines.flush();
  t.same(seen, ['stdout:out one', 'stderr:err', 'stdout:out two']);

  const chunks: string[] = [];
  const demux = new StreamDemuxer((c, s) => chunks.push(`${s}:${c.toString()}`));
  demux.push(frame(2, 'x').subarray(0, 5));
  t.same(chunks, [], 'an incomplete frame waits for the rest');
  demux.push(frame(2, 'x').subarray(5));
  t.same(chunks, ['stderr:x']);
});
