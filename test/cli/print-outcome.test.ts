import t from 'tap';
import { outcomeLines } from '../../src/cli/reporters/print-outcome.js';
import type { RunResults } from '../../src/report/results.js';
import { loadFixture, mutableCopy } from '../report/fixtures.js';

t.test(
  "gates: N/N counts the plan's own gates: implicit rows are not counted, a failing one is still named",
  async (t) => {
    const results = mutableCopy(loadFixture('passing'));
    const own = results.gates.length;
    results.gates.push({
      gate: 'tests',
      name: 'tests[unit].executed',
      threshold: '≥ 1',
      actual: '37',
      status: 'pass',
      implicit: true,
    });
    t.match(outcomeLines(results as RunResults, []).join('\n'), `gates: ${own}/${own} passed`);
    results.gates.at(-1)!.status = 'fail';
    t.match(
      outcomeLines(results as RunResults, []).join('\n'),
      new RegExp(`gates: ${own}/${own} passed \\(tests\\[unit\\]\\.executed 37 fail\\)`),
    );
    results.gates[0]!.status = 'not-selected';
    t.match(
      outcomeLines(results as RunResults, []).join('\n'),
      `gates: ${own - 1}/${own} passed (tests[unit].executed 37 fail, 1 not selected)`,
    );
  },
);
