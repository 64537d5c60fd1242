import t from 'tap';
import { formatDuration, parseDuration } from '../../src/dsl/duration.js';

t.test('parseDuration reads every unit, fractions included', async (t) => {
  t.equal(parseDuration('250ms'), 250);
  t.equal(parseDuration('1.5s'), 1500);
  t.equal(parseDuration('30s'), 30_000);
  t.equal(parseDuration('5m'), 300_000);
  t.equal(parseDuration('1h'), 3_600_000);
  t.equal(parseDuration('0s'), 0);
});

t.test('parseDuration rejects what is not a duration', async (t) => {
  for (const text of ['', '5', '5 m', '-1s', '1d', 'ms', '1.s', '5min', ' 5s', '1e3ms'])
    t.equal(parseDuration(text), undefined, text);
});

t.test('formatDuration picks a readable unit', async (t) => {
  t.equal(formatDuration(0), '0ms');
  t.equal(formatDuration(850), '850ms');
  t.equal(formatDuration(4_200), '4.2s');
  t.equal(formatDuration(59_960), '1m');
  t.equal(formatDuration(300_000), '5m');
  t.equal(formatDuration(3_600_000), '1h');
  t.equal(formatDuration(252_000), '4m 12s');
  t.equal(formatDuration(3_900_000), '1h 5m');
  t.equal(formatDuration(-5), '0ms');
});
