import t from 'tap';
import { StreamDemuxer, demuxLines } from '../../../src/drivers/docker/log-lines.js';

function frame(stream: 1 | 2, text: string | Buffer): Buffer {
  const body = Buffer.isBuffer(text) ? text : Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

t.test('multiplexed frames split into stdout and stderr even when cut mid-header', async (t) => {
  const data = Buffer.concat([frame(1, 'out one\nout '), frame(2, 'err\n'), frame(1, 'two\n')]);
  const seen: string[] = [];
  const lines = demuxLines((line, stream) => seen.push(`${stream}:${line}`));
  for (let i = 0; i < data.length; i += 3) lines.push(data.subarray(i, i + 3));
  lines.flush();
  t.same(seen, ['stdout:out one', 'stderr:err', 'stdout:out two']);

  const euro: string[] = [];
  const split = demuxLines((line) => euro.push(line));
  const bytes = Buffer.from('h€llo\n');
  const framed = Buffer.concat([frame(1, bytes.subarray(0, 2)), frame(1, bytes.subarray(2))]);
  for (let i = 0; i < framed.length; i++) split.push(framed.subarray(i, i + 1));
  t.same(euro, ['h€llo'], 'a character split across frames and chunks comes out whole');

  const chunks: string[] = [];
  const demux = new StreamDemuxer((c, s) => chunks.push(`${s}:${c.toString()}`));
  demux.push(frame(2, 'x').subarray(0, 5));
  t.same(chunks, [], 'an incomplete frame waits for the rest');
  demux.push(frame(2, 'x').subarray(5));
  t.same(chunks, ['stderr:x']);
});
