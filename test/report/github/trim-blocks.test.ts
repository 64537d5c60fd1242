import t from 'tap';
import { renderBlocks, text, type Block, type LinesBlock } from '../../../src/report/markdown/blocks.js';
import { cutTo, trimBlocks } from '../../../src/report/github/trim-blocks.js';

const lines = (label: string, n: number, keep: 'head' | 'tail' = 'tail'): LinesBlock => ({
  kind: 'lines',
  label,
  lines: Array.from({ length: n }, (_, i) => `${label} line ${i} ${'x'.repeat(40)}`),
  keep,
  fenced: true,
});
const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

t.test('nothing is trimmed when the blocks fit', async (t) => {
  const blocks: Block[] = [text('# T'), lines('a', 10)];
  const result = trimBlocks(blocks, 100_000);
  t.same(result.trimmed, []);
  t.same(result.blocks, blocks);
  t.equal(result.bytes, bytes(renderBlocks(blocks)));
});

t.test('the longest blocks lose the most; a short one stays whole', async (t) => {
  const blocks: Block[] = [text('# T'), lines('huge', 4000), lines('big', 1000), lines('small', 20)];
  const result = trimBlocks(blocks, 40_000);
  t.ok(result.bytes <= 40_000, `${result.bytes} bytes`);
  t.equal(result.bytes, bytes(renderBlocks(result.blocks)), 'the byte count is exact');
  t.same(result.trimmed, ['huge', 'big']);
  const [, huge, big, small] = result.blocks as [Block, LinesBlock, LinesBlock, LinesBlock];
  t.same(small.lines.length, 20);
  const size = (b: Block): number => bytes(renderBlocks([b]));
  t.ok(Math.abs(size(huge) - size(big)) < 200, `both long blocks end near the same size (${size(huge)}, ${size(big)})`);
  t.equal(huge.lines[huge.lines.length - 1], (blocks[1] as LinesBlock).lines[3999], 'a log keeps its last line');
  t.equal(huge.omitted, 4000 - huge.lines.length);
});

t.test('a head block keeps its first lines', async (t) => {
  const cut = cutTo(lines('list', 100, 'head'), 1000);
  t.equal(cut.lines[0], `list line 0 ${'x'.repeat(40)}`);
  t.ok(cut.lines.length < 100);
  t.equal(cut.omitted, 100 - cut.lines.length);
});

t.test('a single long line is cut at a character boundary', async (t) => {
  const block: LinesBlock = { kind: 'lines', label: 'one', lines: ['é'.repeat(10_000)], keep: 'tail', fenced: true };
  const cut = cutTo(block, 1001);
  t.equal(cut.lines.length, 1);
  t.ok(bytes(cut.lines[0]!) <= 1001);
  t.notMatch(cut.lines[0]!, /\uFFFD/);
  t.match(cut.lines[0]!, /^… é+$/);
});
