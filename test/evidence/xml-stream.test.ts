/** The XML reader's filter: long text and attribute values lose their middle; markup never changes. */
import t from 'tap';
import { createRunCapper } from '../../src/evidence/xml-stream.js';

const capAll = (chunks: readonly string[], head = 16, tail = 8): string => {
  const capper = createRunCapper(head, tail);
  return chunks.map((c) => capper.write(c)).join('') + capper.end();
};

const doc =
  '<testsuites><testcase name="' +
  'n'.repeat(40) +
  '" time="1"><failure message="' +
  'm'.repeat(30) +
  `">${'d'.repeat(50)} &amp; tail</failure>` +
  '<system-out><![CDATA[' +
  'c'.repeat(40) +
  ']]></system-out></testcase><testcase name="short"/></testsuites>';

t.test('short runs pass through unchanged', async (t) => {
  const small = '<testsuites><testcase name="a" time="1"/></testsuites>';
  t.equal(capAll([small], 1000, 100), small);
});

t.test('each long value is cut separately, the quotes and tags stay', async (t) => {
  const out = capAll([doc]);
  t.match(out, /name="n{16}… 16 characters cut …n{8}" time="1"/);
  t.match(out, /message="m{16}… 6 characters cut …m{8}">/);
  t.match(out, /<\/failure><system-out><!\[CDATA\[/);
  t.match(out, /\]\]><\/system-out><\/testcase><testcase name="short"\/><\/testsuites>$/);
  t.notMatch(out, /&am… |… [^<]*mp;/, 'never cuts inside an entity');
});

t.test('the same output whatever the chunk boundaries', async (t) => {
  const whole = capAll([doc]);
  for (let size = 1; size <= 40; size++) {
    const chunks: string[] = [];
    for (let i = 0; i < doc.length; i += size) chunks.push(doc.slice(i, i + size));
    t.equal(capAll(chunks), whole, `chunks of ${size}`);
  }
  for (let cut = 1; cut < doc.length; cut++) {
    if (capAll([doc.slice(0, cut), doc.slice(cut)]) !== whole) t.fail(`split at ${cut}`);
  }
});
