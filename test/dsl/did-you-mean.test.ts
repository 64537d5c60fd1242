import t from 'tap';
import { closest, didYouMean, editDistance } from '../../src/dsl/did-you-mean.js';

t.test('editDistance counts insertions, deletions, substitutions and adjacent swaps as one', async (t) => {
  t.equal(editDistance('redis', 'redis'), 0);
  t.equal(editDistance('redis', 'redsi'), 1);
  t.equal(editDistance('unit', 'unti'), 1);
  t.equal(editDistance('app', 'ap'), 1);
  t.equal(editDistance('image', 'imagez'), 1);
  t.equal(editDistance('lint', 'lent'), 1);
  t.equal(editDistance('', 'abc'), 3);
  t.equal(editDistance('kitten', 'sitting'), 3);
});

t.test('closest suggests only plausible typos', async (t) => {
  t.equal(closest('redsi', ['pg', 'redis']), 'redis');
  t.equal(closest('integraton', ['unit', 'integration']), 'integration');
  t.equal(closest('Redis', ['redis']), 'redis');
  t.equal(closest('kafka', ['pg', 'redis']), undefined);
  t.equal(closest('x', []), undefined);
  t.equal(didYouMean('unti', ['unit']), " did you mean 'unit'?");
  t.equal(didYouMean('zzz', ['unit']), '');
});
