import t from 'tap';
import { evaluateGates, gateGroupStatus } from '../../src/evidence/gates.js';
import type { GateInput } from '../../src/evidence/evidence-input.js';
import type { GateResult } from '../../src/evidence/types.js';
import { cases, coverageOk, gatesSpec, missing, phase, testsOk } from './builders.js';

const input = (over: Partial<GateInput>): GateInput => ({
  gates: gatesSpec(),
  phases: [],
  totalDurationMs: 1000,
  checks: {},
  ...over,
});
const row = (results: readonly GateResult[], name: string): GateResult => {
  const r = results.find((x) => x.name === name);
  if (!r) throw new Error(`no gate row ${name} in ${results.map((x) => x.name).join(', ')}`);
  return r;
};

t.test('global coverage: merged over every phase that reports it, compared by counts', async (t) => {
  const gates = gatesSpec({ coverage: { lines: 80 } });
  // unit covers lines 1-6 of a.py (6/10), integration covers lines 1-8 (8/10): merged 8/10 = 80%.
  const phases = [
    phase('unit', { coverage: coverageOk('a.py', 6, 10) }),
    phase('integration', { coverage: coverageOk('a.py', 8, 10) }),
  ];
  const pass = row(evaluateGates(input({ gates, phases })), 'coverage.lines');
  t.match(pass, {
    gate: 'coverage',
    threshold: '≥ 80%',
    actual: '80.0%',
    status: 'pass',
    message: /8 of 10 lines covered \(merged from unit, integration\)/,
  });

  const worse = [
    phase('unit', { coverage: coverageOk('a.py', 6, 10) }),
    phase('integration', { coverage: coverageOk('a.py', 7, 10) }),
  ];
  t.match(row(evaluateGates(input({ gates, phases: worse })), 'coverage.lines'), { actual: '70.0%', status: 'fail' });
});

t.test('just below the threshold fails and never prints as the threshold', async (t) => {
  const gates = gatesSpec({ coverage: { lines: 80 } });
  const just = row(
    evaluateGates(input({ gates, phases: [phase('unit', { coverage: coverageOk('a.py', 7999, 10000) })] })),
    'coverage.lines',
  );
  t.match(just, { status: 'fail', actual: '79.9%' });
  const exact = row(
    evaluateGates(input({ gates, phases: [phase('unit', { coverage: coverageOk('a.py', 8000, 10000) })] })),
    'coverage.lines',
  );
  t.match(exact, { status: 'pass', actual: '80.0%' });
});

t.test('a metric nobody measured is an error that says how to measure it', async (t) => {
  const gates = gatesSpec({ coverage: { lines: 50, branches: 50 } });
  const results = evaluateGates(input({ gates, phases: [phase('unit', { coverage: coverageOk('a.py', 10, 10) })] }));
  t.match(row(results, 'coverage.lines'), { status: 'pass' });
  t.match(row(results, 'coverage.branches'), {
    status: 'error',
    actual: 'n/a',
    message: /no branches were measured.*--cov-branch/,
  });
  const measured = evaluateGates(
    input({ gates, phases: [phase('unit', { coverage: coverageOk('a.py', 10, 10, [1, 2]) })] }),
  );
  t.match(row(measured, 'coverage.branches'), { status: 'pass', actual: '50.0%' });
  const fewer = evaluateGates(
    input({ gates, phases: [phase('unit', { coverage: coverageOk('a.py', 10, 10, [0, 2]) })] }),
  );
  t.match(row(fewer, 'coverage.branches'), { status: 'fail', actual: '0.0%' });
});

t.test(
  'missing coverage evidence is an error naming the file and the phase, even if another phase passed',
  async (t) => {
    const gates = gatesSpec({ coverage: { lines: 50 } });
    const phases = [
      phase('unit', { coverage: coverageOk('a.py', 10, 10) }),
      phase('integration', { coverage: missing('/out/coverage.xml', 'integration') }),
    ];
    t.match(row(evaluateGates(input({ gates, phases })), 'coverage.lines'), {
      status: 'error',
      actual: 'n/a',
      message: /\/out\/coverage\.xml \(phase integration\): the JUnit XML file was not written/,
    });
    t.match(row(evaluateGates(input({ gates, phases: [phase('unit')] })), 'coverage.lines'), {
      status: 'error',
      message: /no phase in this run reports coverage/,
    });
  },
);

t.test('per-phase coverage applies to that phase only', async (t) => {
  const gates = gatesSpec({ phaseCoverage: { unit: { lines: 90 } } });
  // integration coverage is low, but the unit threshold must not be applied to it.
  const phases = [
    phase('unit', { coverage: coverageOk('a.py', 9, 10) }),
    phase('integration', { coverage: coverageOk('b.py', 1, 10) }),
  ];
  const results = evaluateGates(input({ gates, phases }));
  t.same(
    results.map((r) => r.name),
    ['coverage[unit].lines'],
  );
  t.match(results[0], { status: 'pass', actual: '90.0%', message: /phase unit/ });
  const worse = [
    phase('unit', { coverage: coverageOk('a.py', 8, 10) }),
    phase('integration', { coverage: coverageOk('b.py', 10, 10) }),
  ];
  t.match(row(evaluateGates(input({ gates, phases: worse })), 'coverage[unit].lines'), {
    status: 'fail',
    actual: '80.0%',
  });
  t.match(
    row(
      evaluateGates(input({ gates, phases: [phase('integration', { coverage: coverageOk('b.py', 10, 10) })] })),
      'coverage[unit].lines',
    ),
    {
      status: 'not-selected',
      message: /phase unit is not selected in this run/,
    },
  );
  t.match(
    row(
      evaluateGates(input({ gates, phases: [phase('unit', { coverage: missing('/out/c.xml', 'unit') })] })),
      'coverage[unit].lines',
    ),
    {
      status: 'error',
      message: /\/out\/c\.xml \(phase unit\)/,
    },
  );
});

t.test('tests.failed counts failed and errored over all phases; one more goes red', async (t) => {
  const gates = gatesSpec({ tests: { failed: 1 } });
  const ok = [
    phase('unit', { tests: testsOk(cases({ passed: 5, failed: 1 })) }),
    phase('integration', { tests: testsOk(cases({ passed: 3, skipped: 2 })) }),
  ];
  const results = evaluateGates(input({ gates, phases: ok }));
  t.match(row(results, 'tests.failed'), { threshold: '≤ 1', actual: '1', status: 'pass' });
  t.match(row(results, 'tests.executed'), { threshold: '≥ 1', actual: '9', status: 'pass' });
  const worse = [
    phase('unit', { tests: testsOk(cases({ passed: 5, failed: 1 })) }),
    phase('integration', { tests: testsOk(cases({ passed: 3, error: 1 })) }),
  ];
  t.match(row(evaluateGates(input({ gates, phases: worse })), 'tests.failed'), {
    actual: '2',
    status: 'fail',
    message: '1 failed, 1 errored',
  });
});

t.test('tests.executed ≥ N; zero executed never passes, even with minExecuted unset or 0', async (t) => {
  const withMin = gatesSpec({ tests: { minExecuted: 10 } });
  t.match(
    row(
      evaluateGates(
        input({ gates: withMin, phases: [phase('unit', { tests: testsOk(cases({ passed: 10, skipped: 5 })) })] }),
      ),
      'tests.executed',
    ),
    {
      status: 'pass',
      actual: '10',
    },
  );
  t.match(
    row(
      evaluateGates(
        input({ gates: withMin, phases: [phase('unit', { tests: testsOk(cases({ passed: 9, skipped: 5 })) })] }),
      ),
      'tests.executed',
    ),
    {
      status: 'fail',
      actual: '9',
    },
  );
  for (const tests of [{ failed: 0 }, { minExecuted: 0 }, {}]) {
    const results = evaluateGates(
      input({ gates: gatesSpec({ tests }), phases: [phase('unit', { tests: testsOk(cases({ skipped: 3 })) })] }),
    );
    t.match(
      row(results, 'tests.executed'),
      { threshold: '≥ 1', actual: '0', status: 'fail', message: /zero tests is never a pass/ },
      JSON.stringify(tests),
    );
  }
});

t.test('a phase with a results file that executed nothing fails its own row', async (t) => {
  const gates = gatesSpec({ tests: { minExecuted: 5 } });
  const phases = [
    phase('unit', { tests: testsOk(cases({ passed: 40 })) }),
    phase('integration', { tests: testsOk([]) }),
  ];
  const results = evaluateGates(input({ gates, phases }));
  t.match(row(results, 'tests.executed'), { status: 'pass' });
  t.match(row(results, 'tests[integration].executed'), { status: 'fail', actual: '0', message: /executed no test/ });
  t.equal(gateGroupStatus(results)['tests'], 'fail');
});

t.test(
  'one unreadable results file errors only what it decides: the rows say what was counted and what is missing',
  async (t) => {
    const gates = gatesSpec({ tests: { failed: 0 } });
    const phases = [
      phase('unit', { tests: testsOk(cases({ passed: 40 })) }),
      phase('integration', { tests: missing('/out/junit.xml', 'integration') }),
    ];
    const results = evaluateGates(input({ gates, phases }));
    t.same(
      results.map((r) => [r.name, r.status]),
      [
        ['tests.failed', 'error'], // 0 failures so far, but the unread file could hold some
        ['tests.executed', 'pass'], // 40 executed is decided whatever the unread file holds
        ['tests[unit].executed', 'pass'],
        ['tests[integration].executed', 'error'],
      ],
    );
    t.match(row(results, 'tests.failed'), {
      actual: '0',
      message:
        /0 so far \(counted over unit\); test results could not be read: .*\/out\/junit\.xml \(phase integration\)/,
    });
    t.match(row(results, 'tests.executed'), { actual: '40', message: /40 executed, 0 skipped \(counted over unit\)/ });
    // Failures already over the limit are a fail whatever the unread file holds.
    const failing = [
      phase('unit', { tests: testsOk(cases({ passed: 3, failed: 2 })) }),
      phase('integration', { tests: missing('/out/junit.xml', 'integration') }),
    ];
    t.match(row(evaluateGates(input({ gates, phases: failing })), 'tests.failed'), { status: 'fail', actual: '2' });
    // Too few executed so far is not decided by the readable phases: error, not fail, not pass.
    const few = gatesSpec({ tests: { minExecuted: 100 } });
    t.match(row(evaluateGates(input({ gates: few, phases })), 'tests.executed'), { status: 'error', actual: '40' });
    t.match(row(evaluateGates(input({ gates, phases: [phase('unit')] })), 'tests.failed'), {
      status: 'error',
      message: /no phase in this run has a results file/,
    });
  },
);

t.test(
  'duration: total and per phase; over the limit goes red; a phase that never ran is not run; an unselected one not selected',
  async (t) => {
    const gates = gatesSpec({ duration: { maxMs: 300_000, phasesMs: { integration: 60_000 } } });
    const phases = [phase('integration', { durationMs: 60_000 })];
    const results = evaluateGates(input({ gates, phases, totalDurationMs: 252_000 }));
    t.match(row(results, 'duration'), { gate: 'duration', threshold: '≤ 5m', actual: '4m 12s', status: 'pass' });
    t.match(row(results, 'duration[integration]'), { threshold: '≤ 1m', actual: '1m', status: 'pass' });
    const over = evaluateGates(
      input({ gates, phases: [phase('integration', { durationMs: 60_001 })], totalDurationMs: 300_001 }),
    );
    t.match(row(over, 'duration'), { status: 'fail', message: /over the 5m limit/ });
    t.match(row(over, 'duration[integration]'), { status: 'fail' });
    const never = evaluateGates(input({ gates, phases: [{ name: 'integration', status: 'skipped' }] }));
    t.match(row(never, 'duration[integration]'), {
      status: 'not-run',
      actual: 'n/a',
      message: /never started \(skipped\)/,
    });
    t.match(row(never, 'duration'), {
      status: 'not-run',
      actual: 'n/a',
      message: /integration did not run to the end/,
    });
    t.match(row(evaluateGates(input({ gates, phases: [] })), 'duration[integration]'), {
      status: 'not-selected',
      message: /not selected/,
    });
  },
);

t.test(
  'command gates: exit 0 passes, exit 1 fails, a check that could not run or did not run is an error',
  async (t) => {
    const gates = gatesSpec({
      commands: {
        lint: { name: 'gate:lint', image: { kind: 'ref', ref: 'node:20' }, command: ['npm', 'run', 'lint'], env: {} },
      },
    });
    t.match(evaluateGates(input({ gates, checks: { 'gate:lint': { exitCode: 0 } } })), [
      { gate: 'lint', name: 'lint', threshold: 'exit 0', actual: 'exit 0', status: 'pass' },
    ]);
    t.match(evaluateGates(input({ gates, checks: { 'gate:lint': { exitCode: 1 } } })), [
      { actual: 'exit 1', status: 'fail' },
    ]);
    t.match(evaluateGates(input({ gates, checks: { 'gate:lint': { error: 'image not found' } } })), [
      { status: 'error', message: /could not run: image not found/ },
    ]);
    t.match(evaluateGates(input({ gates, checks: {} })), [{ status: 'error', message: /did not run/ }]);
  },
);

t.test('no gates in the plan, no rows; group status: error over fail over pass', async (t) => {
  t.same(evaluateGates(input({})), []);
  const rows: GateResult[] = [
    { gate: 'coverage', name: 'a', threshold: '', actual: '', status: 'pass' },
    { gate: 'coverage', name: 'b', threshold: '', actual: '', status: 'fail' },
    { gate: 'tests', name: 'c', threshold: '', actual: '', status: 'fail' },
    { gate: 'tests', name: 'd', threshold: '', actual: '', status: 'error' },
    { gate: 'lint', name: 'lint', threshold: '', actual: '', status: 'pass' },
  ];
  t.same(gateGroupStatus(rows), { coverage: 'fail', tests: 'error', lint: 'pass' });
});

t.test(
  'a run that stopped early: duration and checks are not run, never pass; declared evidence that never came is not run',
  async (t) => {
    const lint = {
      name: 'gate:lint',
      image: { kind: 'ref', ref: 'node:20' },
      command: ['npm', 'run', 'lint'],
      env: {},
    } as const;
    const gates = gatesSpec({
      duration: { maxMs: 300_000, phasesMs: {} },
      coverage: { lines: 80 },
      tests: { failed: 0 },
      commands: { lint },
    });
    const never = { name: 'unit', status: 'cancelled', declares: { results: true, coverage: true } } as const;
    const results = evaluateGates(input({ gates, phases: [never], totalDurationMs: 2_000, stopped: 'interrupted' }));
    t.same(
      results.map((r) => [r.name, r.status]),
      [
        ['coverage.lines', 'not-run'],
        ['tests.failed', 'not-run'],
        ['tests.executed', 'not-run'],
        ['tests[unit].executed', 'not-run'],
        ['duration', 'not-run'],
        ['lint', 'not-run'],
      ],
    );
    t.match(row(results, 'duration'), { message: /the run stopped before it finished \(interrupted\)/ });
    t.match(row(results, 'coverage.lines'), {
      message: /phase unit never started \(cancelled\): its coverage never came/,
    });
    t.notMatch(results.map((r) => r.message).join('\n'), /add `/, 'no advice to declare what the plan declares');
  },
);

t.test('under --phase, coverage and tests gates fed only by unselected phases are not selected', async (t) => {
  const gates = gatesSpec({ coverage: { lines: 80 }, tests: { failed: 0 } });
  const unselected = [{ name: 'unit', results: true, coverage: true }];
  const results = evaluateGates(input({ gates, phases: [phase('lint')], unselected }));
  t.same([...new Set(results.map((r) => r.status))], ['not-selected']);
  t.match(row(results, 'coverage.lines'), { message: 'coverage comes from unit, not selected in this run' });
  // Without the unselected phase declaring it, the advice stands.
  t.match(row(evaluateGates(input({ gates, phases: [phase('lint')] })), 'coverage.lines'), {
    status: 'error',
    message: /add `coverage/,
  });
});

t.test('per-phase executed ≥ 1 rows are marked implicit: the user did not write them', async (t) => {
  const results = evaluateGates(
    input({
      gates: gatesSpec({ tests: { failed: 0 } }),
      phases: [phase('unit', { tests: testsOk(cases({ passed: 1 })) })],
    }),
  );
  t.same(
    results.map((r) => [r.name, r.implicit === true]),
    [
      ['tests.failed', false],
      ['tests.executed', false],
      ['tests[unit].executed', true],
    ],
  );
});

t.test(
  "coverage gates count only the files their include/exclude globs select, like the team's own coverage config",
  async (t) => {
    const report = (files: [string, number, number][]) => ({
      ok: true as const,
      value: {
        format: 'lcov',
        files: files.map(([path, covered, total]) => {
          const lines: Record<number, number> = {};
          for (let i = 1; i <= total; i++) lines[i] = i <= covered ? 1 : 0;
          return { path, lines, branches: {}, functions: {} };
        }),
      },
    });
    // src is 9/10 covered; the generated client and the tests themselves drag the whole down to 10/30.
    const phases = [
      phase('unit', {
        coverage: report([
          ['/app/src/a.ts', 9, 10],
          ['/app/src/generated/client.ts', 0, 10],
          ['/app/test/a.test.ts', 1, 10],
        ]),
      }),
    ];
    const all = row(evaluateGates(input({ gates: gatesSpec({ coverage: { lines: 80 } }), phases })), 'coverage.lines');
    t.match(all, { status: 'fail', actual: '33.3%' });
    const scoped = gatesSpec({
      coverage: { lines: 80, include: ['src/**'], exclude: ['src/generated/**'] },
      phaseCoverage: { unit: { lines: 80, include: ['src/**/*.ts'] } },
    });
    const results = evaluateGates(input({ gates: scoped, phases }));
    t.match(row(results, 'coverage.lines'), {
      status: 'pass',
      actual: '90.0%',
      message: /include src\/\*\*; exclude src\/generated\/\*\*: 1 of 3 files/,
    });
    t.match(row(results, 'coverage[unit].lines'), { status: 'fail', actual: '45.0%', message: /2 of 3 files/ });
    // Globs that select nothing leave nothing measured: an error naming the globs, never a pass.
    const none = evaluateGates(input({ gates: gatesSpec({ coverage: { lines: 80, include: ['lib/**'] } }), phases }));
    t.match(row(none, 'coverage.lines'), { status: 'error', message: /include lib\/\*\*: 0 of 3 files/ });
  },
);

t.test('under --phase, a tests gate counted over the selected phases says which phases were left out', async (t) => {
  const results = evaluateGates(
    input({
      gates: gatesSpec({ tests: { failed: 0 } }),
      phases: [phase('e2e', { tests: testsOk(cases({ passed: 1 })) })],
      unselected: [{ name: 'unit', results: true, coverage: false }],
    }),
  );
  t.match(row(results, 'tests.failed'), {
    status: 'pass',
    message: '0 failed, 0 errored (counted over e2e; unit not selected)',
  });
});
