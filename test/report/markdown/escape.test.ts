import t from 'tap';
import { cell, cellLines, code, fence, table } from '../../../src/report/markdown/escape.js';

t.test('cells are one line with pipes escaped and empty shown as a dash', async (t) => {
  t.equal(cell('a | b\n  c'), 'a \\| b c');
  t.equal(cell('back\\slash|'), 'back\\\\slash\\|');
  t.equal(cell(''), '—');
  t.equal(cell(undefined), '—');
  t.equal(cell(3), '3');
  t.equal(cellLines(['x|y', 'z']), 'x\\|y<br>z');
  t.equal(cellLines([]), '—');
});

t.test('inline code and fences outgrow the backticks inside them', async (t) => {
  t.equal(code('plain'), '`plain`');
  t.equal(code('a `b` c'), '``a `b` c``');
  t.equal(code('`x'), '`` `x ``');
  t.equal(fence(['```js', 'x']), '````text\n```js\nx\n````');
  t.equal(fence(['\u001b[32mok\u001b[0m']), '```text\nok\n```');
});

t.test('a table has a header rule and one row per entry', async (t) => {
  t.equal(table(['A', 'B'], [['1', '2']]), '| A | B |\n| --- | --- |\n| 1 | 2 |');
});
