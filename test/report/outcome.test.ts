import t from 'tap';
import { outcomeOf } from '../../src/report/outcome.js';
import type { RunResults } from '../../src/report/results.js';
import { loadFixture, mutableCopy } from './fixtures.js';

t.test('a passing run stays passed when every gate, criterion and phase passes', async (t) => {
  const o = outcomeOf(loadFixture('passing'));
  t.equal(o.status, 'passed');
  t.equal(o.overruled, undefined);
});

t.test('a recorded pass is overruled by anything not passing, and says what', async (t) => {
  const phase = mutableCopy(loadFixture('passing'));
  phase.phases[1]!.status = 'failed';
  t.same(
    [outcomeOf(phase as RunResults).status, outcomeOf(phase as RunResults).overruled],
    ['failed', '1 phase not passing'],
  );
  const unverified = mutableCopy(loadFixture('passing'));
  unverified.acceptance[1]!.status = 'unverified';
  unverified.gates[0]!.status = 'fail';
  t.same(outcomeOf(unverified as RunResults).overruled, '1 gate not passing, 1 criterion not passing');
});

t.test('error and interrupted verdicts are kept as they are', async (t) => {
  t.equal(outcomeOf(loadFixture('error')).status, 'error');
  t.equal(outcomeOf(loadFixture('interrupted')).status, 'interrupted');
});
