import t from 'tap';
import type { Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { TestCaseSchema } from '../../src/report/results-schema.js';
import { RunResultsSchema as schema } from '../../src/report/results-schema.js';
import type { RunResults } from '../../src/report/results.js';
import type { ExitCode } from '../../src/errors.js';
import type { TestCase } from '../../src/evidence/types.js';
import { FIXTURE_NAMES, loadFixture } from './fixtures.js';

// Compile-time: RunResults is derived from the schema; the evidence layer's TestCase (what parsers
// produce) is the same shape as the schema's, and exit codes come from the one table.
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;
export type Checks = [
  Expect<Equal<keyof Static<typeof TestCaseSchema>, keyof TestCase>>,
  Expect<Equal<RunResults['exitCode'], ExitCode>>,
];
const parsedIsAResult = (p: Static<typeof schema>): RunResults => p;
const caseIsACase = (c: TestCase): Static<typeof TestCaseSchema> => ({ ...c });

t.test('every fixture satisfies the runtime schema', async (t) => {
  for (const name of FIXTURE_NAMES) t.ok(Value.Check(schema, loadFixture(name)), name);
  t.ok(parsedIsAResult);
  t.ok(caseIsACase);
});

t.test('the schema rejects a wrong status and a missing field', async (t) => {
  const r = structuredClone(loadFixture('passing')) as unknown as Record<string, unknown>;
  t.notOk(Value.Check(schema, { ...r, verdict: 'fine' }));
  const { gates: _g, ...withoutGates } = r;
  t.notOk(Value.Check(schema, withoutGates));
});
