import t from 'tap';
import { capList, formatDuration, formatPercent } from '../../src/evidence/format.js';

t.test('percentages round down so a failing value never shows as the threshold', async (t) => {
  t.equal(formatPercent(7999, 10000), '79.9%');
  t.equal(formatPercent(8000, 10000), '80.0%');
  t.equal(formatPercent(20, 23), '86.9%');
  t.equal(formatPercent(1, 1), '100.0%');
});

t.test('durations read like a person would write them', async (t) => {
  t.equal(formatDuration(250), '250ms');
  t.equal(formatDuration(12_340), '12.3s');
  t.equal(formatDuration(30_000), '30s');
  t.equal(formatDuration(252_000), '4m 12s');
  t.equal(formatDuration(300_000), '5m');
  t.equal(formatDuration(3_780_000), '1h 3m');
  t.equal(formatDuration(-1), 'n/a');
});

t.test('capList keeps short lists and says how many were left out', async (t) => {
  t.same(capList(['a', 'b'], 2), ['a', 'b']);
  t.same(capList(['a', 'b', 'c', 'd'], 2, 'more tests'), ['a', 'b', '… and 2 more tests']);
});
