import t from 'tap';
import { stripAnsi, toPlainText } from '../../src/text/ansi.js';

t.test('stripAnsi removes colours, cursor moves and hyperlinks, and nothing else', async (t) => {
  t.equal(stripAnsi('\u001b[1;31mFAILED\u001b[0m tests/a.py'), 'FAILED tests/a.py');
  t.equal(stripAnsi('\u001b[2K\u001b[1Gdone'), 'done');
  t.equal(stripAnsi('\u001b]8;;https://x.test\u0007link\u001b]8;;\u0007'), 'link');
  t.equal(stripAnsi('a [31m b'), 'a [31m b', 'text that merely looks like a code stays');
});

t.test('toPlainText resolves progress-bar carriage returns and drops control characters', async (t) => {
  t.equal(toPlainText('10%\r50%\r100%\nnext'), '100%\nnext');
  t.equal(toPlainText('crlf\r\nline'), 'crlf\nline');
  t.equal(toPlainText('bell\u0007 nul\u0000 tab\tok'), 'bell nul tab\tok');
});
