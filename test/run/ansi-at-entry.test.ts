/** Tools' colours are removed where output lines enter (once): log events (plain output, run.log) and results.json. */
import t from 'tap';
import { compilePlan } from '../../src/compile/compile.js';
import { runIdentity } from '../../src/run/run-identity.js';
import { runPlan } from '../../src/run/run-plan.js';
import { FakeDriver } from '../helpers/fake-driver.js';
import { phase, plan } from '../helpers/plan-builder.js';
import { tempDir } from '../helpers/temp-dir.js';

t.test('a coloured line reaches log events and the phase log tail as plain text', async (t) => {
  const p = plan({ phases: [phase('unit')] });
  const lines: string[] = [];
  const outDir = tempDir('ansi');
  const coloured = [
    '\u001b[32m✔ adds\u001b[39m',
    '\u001b[1m\u001b[31mFAIL\u001b[0m src/a.test.ts',
    'progress 10%\rprogress 100%',
  ];
  const results = await runPlan({
    plan: p,
    graph: compilePlan(p),
    driver: new FakeDriver({ logs: { unit: coloured }, exitCodes: { unit: [1] } }),
    run: runIdentity(p.name, 'run-1', outDir),
    signal: new AbortController().signal,
    onEvent: (e) => void (e.kind === 'log' && lines.push(e.line)),
  });
  t.same(lines, ['✔ adds', 'FAIL src/a.test.ts', 'progress 100%']);
  t.same(results.phases[0]!.logTail, ['✔ adds', 'FAIL src/a.test.ts', 'progress 100%']);
  t.notMatch(JSON.stringify(results), /\\u001b|\u001b/);
});
