import t from 'tap';
import fc from 'fast-check';
import { LineSplitter, MAX_LINE_LENGTH, cutMarker } from '../../src/text/line-splitter.js';
import { TailBuffer } from '../../src/text/tail-buffer.js';

function splitAll(chunks: readonly (string | Uint8Array)[], maxLineLength?: number): string[] {
  const out: string[] = [];
  const s = new LineSplitter((l) => out.push(l), maxLineLength ? { maxLineLength } : {});
  for (const c of chunks) s.write(c);
  s.flush();
  return out;
}

t.test('multi-byte characters cut anywhere across byte chunks come out whole', async (t) => {
  const text = 'héllo wörld\n€ 𝄞 日本語\r\nlast 😀';
  const bytes = Buffer.from(text);
  for (let cut = 1; cut < bytes.length; cut++) {
    const out = splitAll([bytes.subarray(0, cut), bytes.subarray(cut)]);
    t.same(out, ['héllo wörld', '€ 𝄞 日本語', 'last 😀'], `cut at byte ${cut}`);
  }
  t.same(
    splitAll([...bytes].map((b) => Uint8Array.of(b))),
    ['héllo wörld', '€ 𝄞 日本語', 'last 😀'],
    'one byte at a time',
  );
});

t.test('lines come out whole however the text is cut; CRLF and LF both end a line', async (_t) => {
  fc.assert(
    fc.property(
      fc.array(
        fc.string({ unit: 'grapheme', maxLength: 8 }).map((s) => s.replace(/[\r\n]/g, '')),
        { maxLength: 8 },
      ),
      fc.array(fc.nat(80), { maxLength: 6 }),
      fc.boolean(),
      (lines, cuts, crlf) => {
        const bytes = Buffer.from(lines.map((l) => `${l}${crlf ? '\r\n' : '\n'}`).join(''));
        const chunks: Buffer[] = [];
        let at = 0;
        for (const c of [...cuts].sort((a, b) => a - b)) {
          chunks.push(bytes.subarray(at, Math.max(at, c)));
          at = Math.max(at, c);
        }
        chunks.push(bytes.subarray(at));
        return JSON.stringify(splitAll(chunks)) === JSON.stringify(lines);
      },
    ),
  );
});

t.test('end() returns the unterminated rest instead of delivering it', async (t) => {
  const out: string[] = [];
  const s = new LineSplitter((l) => out.push(l));
  s.write('a\nb');
  t.equal(s.end(), 'b');
  t.same(out, ['a']);
});

t.test('a huge line keeps its head and says how many bytes were cut, and is never held whole', async (t) => {
  const out = splitAll(['x'.repeat(10), 'é'.repeat(10), 'tail\nnext\n'], 12);
  // 10 x + 2 é kept (12 characters); 8 é (16 bytes) + "tail" (4 bytes) cut.
  t.same(out, [`xxxxxxxxxxéé${cutMarker(20)}`, 'next']);
  const big = splitAll([...Array.from({ length: 800 }, () => 'y'.repeat(65536)), '\n']);
  t.equal(big.length, 1);
  t.ok(big[0]!.startsWith('y'.repeat(MAX_LINE_LENGTH)));
  t.ok(big[0]!.endsWith(cutMarker(800 * 65536 - MAX_LINE_LENGTH)));
  t.ok(big[0]!.length < MAX_LINE_LENGTH + 100);
});

t.test('a cut never keeps half a surrogate pair', async (t) => {
  const out = splitAll(['ab😀cd\n'], 3);
  t.same(out, [`ab${cutMarker(6)}`]);
});

t.test('the tail keeps only the last lines', async (t) => {
  const tail = new TailBuffer(3);
  for (const n of [1, 2, 3, 4, 5, 6, 7, 8]) tail.push(`l${n}`);
  t.same(tail.last(), ['l6', 'l7', 'l8']);
  t.same(tail.last(2), ['l7', 'l8']);
  t.same(tail.last(10), ['l6', 'l7', 'l8']);
  t.same(tail.last(0), []);
});
