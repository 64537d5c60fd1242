/**
 * What must be proved on a real process: the built CLI's own exit code when a plan ends the process,
 * kills it, never settles, loops forever or leaves a timer running. (In-process, plans-ts.test.ts
 * covers the same plans and many more.) Needs `npm run build` (npm test builds first).
 */
import t from 'tap';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { assertAnswer, pool, spawnCli, type CliResult, type Expect } from './harness.js';

interface Case extends Expect {
  readonly name: string;
  readonly before: string;
  readonly argv?: readonly string[];
}

const plan = (before: string): string =>
  `import { defineTestPlan } from 'testplan';\n${before}\nexport default defineTestPlan({ name: 'proc', phases: { unit: { image: 'node:20', run: 'x' } } });\n`;

const cases: Case[] = [
  {
    name: 'process.exit(0) gives exit 2, not 0',
    before: 'process.exit(0);',
    code: 2,
    says: [/called process\.exit\(0\) while loading/],
  },
  {
    name: 'process.exit(3) gives exit 2, not 3',
    before: 'process.exit(3);',
    code: 2,
    says: [/called process\.exit\(3\)/],
  },
  {
    name: 'process.kill(SIGKILL) does not kill the CLI',
    before: "process.kill(process.pid, 'SIGKILL');",
    code: 2,
    says: [/called process\.kill/],
  },
  {
    name: 'process._kill(SIGKILL) does not kill the CLI',
    before: '(process as any)._kill(process.pid, 9);',
    code: 2,
    says: [/called process\._kill/],
  },
  {
    name: 'a top-level await that never settles gives exit 2, not 13',
    before: 'await new Promise(() => {});',
    code: 2,
    says: [/never finished loading/],
  },
  {
    name: 'an endless loop ends at --load-timeout',
    before: 'while (true) {}',
    argv: ['--load-timeout', '2s'],
    code: 2,
    says: [/did not finish loading within 2s/],
  },
  {
    name: 'an endless interval does not keep the CLI alive',
    before: 'setInterval(() => {}, 10);',
    code: 2,
    says: [/left 1 timer\(s\) running/],
  },
  { name: 'a valid plan still exits 0', before: '', code: 0, says: [/plan proc is valid/] },
];

t.test('the built CLI answers for plans that misbehave in its process', async (t) => {
  const dir = t.testdir({});
  const results: CliResult[] = await pool(cases, 3, async (c) => {
    const file = path.join(dir, `case-${cases.indexOf(c)}.plan.ts`);
    writeFileSync(file, plan(c.before));
    return spawnCli(['check', file, ...(c.argv ?? [])], dir, 30_000);
  });
  cases.forEach((c, i) => t.test(c.name, async (t) => assertAnswer(t, results[i]!, c)));
});
