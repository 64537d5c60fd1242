import t from 'tap';
import { CaseList } from '../../src/evidence/case-list.js';
import type { TestCase, TestStatus } from '../../src/evidence/types.js';

const STATUSES: readonly TestStatus[] = ['passed', 'failed', 'error', 'skipped'];

/** 3,000 cases: across two full chunks of names and a partial one, with files on some, text on a few. */
function sample(n = 3_000): TestCase[] {
  return Array.from({ length: n }, (_, i): TestCase => {
    const base = {
      suite: `suite_${i % 7}`,
      name: i % 11 === 0 ? `ünïcode ${i} ✓` : `test_${i}`,
      status: STATUSES[i % 4]!,
      durationMs: i / 1000,
    };
    const withFile = i % 3 === 0 ? { ...base, file: `f${i % 5}.js` } : base;
    return i % 4 === 1 && i % 8 === 1 ? { ...withFile, message: `boom ${i}`, details: 'stack' } : withFile;
  });
}

t.test('every case reads back as written, across chunks, with or without file and text', async (t) => {
  const cases = sample();
  const list = CaseList.of(cases);
  t.equal(list.length, cases.length);
  t.same([...list], cases);
  t.same(list.at(-1), cases.at(-1));
  t.equal(list.at(cases.length), undefined);
  t.notOk('file' in list.at(1)!, 'no file key when the case had none');
  t.same(list.counts(), { total: 3_000, passed: 750, failed: 750, errored: 750, skipped: 750 });
  t.same(
    Array.from({ length: 8 }, (_, i) => list.statusAt(i)),
    [...STATUSES, ...STATUSES],
  );
});

t.test('a case with text, or one asked to be kept whole, is returned as the same object', async (t) => {
  const list = new CaseList();
  const failing: TestCase = { suite: 's', name: 'a', status: 'failed', durationMs: 0, message: 'boom' };
  const kept: TestCase = { suite: 's', name: 'b', status: 'skipped', durationMs: 0 };
  const plain: TestCase = { suite: 's', name: 'c', status: 'passed', durationMs: 0 };
  list.push(failing);
  list.push(kept, true);
  list.push(plain);
  t.equal(list.at(0), failing);
  t.equal(list.at(1), kept);
  t.not(list.at(2), plain, 'a passing case is rebuilt');
  t.same(list.at(2), plain);
});

t.test('removeWhere drops the chosen cases from a start on, keeping order, names and whole objects', async (t) => {
  const cases = sample();
  for (const start of [0, 1_000, 1_024, 2_500]) {
    const list = CaseList.of(cases);
    const drop = (i: number) => i % 3 === 0 || i === 2_999;
    list.removeWhere(start, drop);
    const expected = cases.filter((_, i) => i < start || !drop(i));
    t.same([...list], expected, `from ${start}`);
    const whole = cases[2_993]!;
    t.equal(list.at(expected.indexOf(whole)), whole, 'a whole case keeps its identity when moved');
    list.push(cases[5]!);
    t.same(list.at(-1), cases[5], 'pushing after a removal still works');
  }
});

t.test('thousands of distinct suites and files read back (the string table spans chunks)', async (t) => {
  const cases = Array.from(
    { length: 2_500 },
    (_, i): TestCase => ({ suite: `s${i}`, name: '', status: 'passed', durationMs: 0, file: `f${i % 1_500}` }),
  );
  const list = CaseList.of(cases);
  t.same([...list], cases);
  list.removeWhere(1_000, (i) => i < 2_000);
  t.same([...list], [...cases.slice(0, 1_000), ...cases.slice(2_000)]);
});
