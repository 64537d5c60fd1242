import t from 'tap';
import { EXIT } from '../../src/errors.js';
import { gateGroupStatus, worstStatus } from '../../src/evidence/status.js';
import { decideVerdict, VERDICT_EXIT } from '../../src/report/verdict.js';

const clean = {
  phases: [{ status: 'passed' }],
  gates: [{ status: 'pass' as const }],
  acceptance: [{ status: 'pass' as const }],
};

t.test('one exit-code table: every verdict maps to a code of EXIT, 130 included', async (t) => {
  t.same(VERDICT_EXIT, { passed: 0, failed: 1, error: 3, interrupted: 130 });
  t.equal(EXIT.interrupted, 130);
  t.same(Object.values(EXIT), [0, 1, 2, 3, 130]);
});

t.test('the verdict: interrupted over infrastructure over failed over passed', async (t) => {
  t.match(decideVerdict(clean), { verdict: 'passed', exitCode: 0, problems: [] });
  t.match(
    decideVerdict({ ...clean, phases: [{ status: 'skipped' }] }),
    { verdict: 'failed', exitCode: 1, problems: ['1 phase not passing'] },
    'a skipped phase verified nothing',
  );
  t.match(decideVerdict({ ...clean, acceptance: [{ status: 'unverified' }] }), {
    verdict: 'failed',
    problems: ['1 criterion not passing'],
  });
  t.match(decideVerdict({ ...clean, gates: [{ status: 'error' }], infrastructureError: 'engine gone' }), {
    verdict: 'error',
    exitCode: 3,
    message: 'engine gone',
  });
  t.match(decideVerdict({ ...clean, interrupted: true, infrastructureError: 'x' }), {
    verdict: 'interrupted',
    exitCode: 130,
  });
});

t.test(
  'one status ranking: error over fail over unverified over pass, for gate groups and criteria alike',
  async (t) => {
    t.equal(worstStatus(['pass', 'unverified']), 'unverified');
    t.equal(worstStatus(['unverified', 'fail']), 'fail');
    t.equal(worstStatus(['fail', 'error', 'pass']), 'error');
    t.equal(worstStatus([]), 'pass');
    t.same(
      gateGroupStatus([
        { gate: 'coverage', status: 'fail' },
        { gate: 'coverage', status: 'error' },
        { gate: 'tests', status: 'pass' },
      ]),
      { coverage: 'error', tests: 'pass' },
    );
  },
);

t.test(
  'not run and not selected are never a pass: not-run blocks a pass and keeps an interrupted exit code; not-selected is neutral',
  async (t) => {
    t.equal(
      worstStatus(['pass', 'not-selected']),
      'not-selected',
      'a criterion partly not selected does not read as pass',
    );
    t.equal(worstStatus(['unverified', 'not-run']), 'not-run');
    t.equal(worstStatus(['not-run', 'fail']), 'fail');
    t.equal(worstStatus(['not-selected', 'unverified']), 'unverified');
    t.match(decideVerdict({ ...clean, gates: [{ status: 'not-run' }] }), {
      verdict: 'failed',
      problems: ['1 gate not passing'],
    });
    t.match(decideVerdict({ ...clean, gates: [{ status: 'not-run' }], interrupted: true }), {
      verdict: 'interrupted',
      exitCode: 130,
    });
    t.match(decideVerdict({ ...clean, gates: [{ status: 'not-run' }], infrastructureError: 'build failed' }), {
      verdict: 'error',
      exitCode: 3,
    });
    t.match(
      decideVerdict({ ...clean, gates: [{ status: 'not-selected' }], acceptance: [{ status: 'not-selected' }] }),
      { verdict: 'passed', problems: [] },
    );
  },
);
