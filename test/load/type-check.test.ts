/**
 * Type-level references: in a .plan.ts, naming an image, service or phase the plan does not
 * define is a compile error with the compiler's own did-you-mean. All files are checked in one
 * program (parsing the standard library is the slow part).
 */
import t from 'tap';
import { fileURLToPath } from 'node:url';
import { typeCheckPlan, typeCheckPlans } from '../../src/load/type-check.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const typos = 'fixtures/plans/types/typos.plan.ts';
const clean = [
  'fixtures/plans/types/clean.plan.ts',
  'fixtures/plans/valid/shop.plan.ts',
  'test/dsl/schema-types.assert.ts',
];

t.test('type-checking plans', async (t) => {
  const dir = t.testdir({
    'drift.ts': `import type { Static } from '@sinclair/typebox';
import type { PlanSchema } from '${root}src/dsl/schema.js';
type Drifted = Omit<Static<typeof PlanSchema>, 'name'> & { name: number };
const assertTrue = <T extends true>(value: T): T => value;
export const ok = assertTrue<[Drifted] extends [Static<typeof PlanSchema>] ? true : false>(true);
`,
  });
  const [typoDiagnostics, ...rest] = await typeCheckPlans(
    [typos, ...clean, `${dir}/drift.ts`].map((f) => (f.startsWith('/') ? f : `${root}${f}`)),
    { cwd: root },
  );
  const drift = rest.pop();

  t.test('typos in image, service and phase references are exact compile errors', async (t) => {
    t.strictSame(
      typoDiagnostics?.map((d) => d.text),
      [
        `${typos}:8:45 Type '"rdis"' is not assignable to type '"redis" | "pg"'. Did you mean '"redis"'?`,
        `${typos}:11:13 Type '"ap"' is not assignable to type 'ImageRef<"app">'.`,
        `${typos}:12:71 Type '"redsi"' is not assignable to type '"redis" | "pg"'. Did you mean '"redis"'?`,
        `${typos}:12:89 Type '"unti"' is not assignable to type '"unit" | "integration"'.`,
      ],
    );
    t.strictSame(
      typoDiagnostics?.[0] && {
        file: typoDiagnostics[0].file,
        line: typoDiagnostics[0].line,
        column: typoDiagnostics[0].column,
      },
      { file: typos, line: 8, column: 45 },
    );
  });

  t.test('correct plans, the valid example and the schema/PlanInput equivalence proof type-check clean', async (t) => {
    t.strictSame(rest, [[], [], []]);
  });

  t.test('a drifted equivalence proof is reported, so the check above can fail', async (t) => {
    t.strictSame(
      drift?.map((d) => d.text),
      [`${dir.slice(root.length)}/drift.ts:5:30 Type 'false' does not satisfy the constraint 'true'.`],
    );
  });
});

t.test('typeCheckPlan checks one file and names it relative to cwd', async (t) => {
  const dir = t.testdir({
    'bad.plan.ts':
      "import { defineTestPlan } from 'testplan';\nexport default defineTestPlan({ name: 1, phases: {} });\n",
  });
  const diagnostics = await typeCheckPlan(`${dir}/bad.plan.ts`, { cwd: dir });
  t.strictSame(
    diagnostics.map((d) => d.text),
    ["bad.plan.ts:2:33 Type 'number' is not assignable to type 'string'."],
  );
  t.equal(`${diagnostics[0]}`, "bad.plan.ts:2:33 Type 'number' is not assignable to type 'string'.");
});
