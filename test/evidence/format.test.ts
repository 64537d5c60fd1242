import t from 'tap';
import { capList, formatPercent } from '../../src/evidence/format.js';

t.test('percentages round down so a failing value never shows as the threshold', async (t) => {
  t.equal(formatPercent(7999, 10000), '79.9%');
  t.equal(formatPercent(8000, 10000), '80.0%');
  t.equal(formatPercent(20, 23), '86.9%');
  t.equal(formatPercent(1, 1), '100.0%');
});

t.test('capList keeps short lists and says how many were left out', async (t) => {
  t.same(capList(['a', 'b'], 2), ['a', 'b']);
  t.same(capList(['a', 'b', 'c', 'd'], 2, 'more tests'), ['a', 'b', '… and 2 more tests']);
});
