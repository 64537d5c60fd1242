import t from 'tap';
import type { Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { PhaseResultSchema, RunResultsSchema, ServiceResultSchema } from '../../src/report/results-schema.js';
import { RunResultsSchema as schema } from '../../src/report/results-schema.js';
import type { PhaseResult, RunResults, ServiceResult } from '../../src/report/results.js';
import { FIXTURE_NAMES, loadFixture } from './fixtures.js';

// Compile-time: the runtime schema and the TypeScript contract describe the same fields.
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;
type Parsed = Static<typeof RunResultsSchema>;
export type Checks = [
  Expect<Equal<keyof Parsed, keyof RunResults>>,
  Expect<Equal<keyof Static<typeof PhaseResultSchema>, keyof PhaseResult>>,
  Expect<Equal<keyof Static<typeof ServiceResultSchema>, keyof ServiceResult>>,
];
const parsedIsAResult = (p: Parsed): RunResults => p;

t.test('every fixture satisfies the runtime schema', async (t) => {
  for (const name of FIXTURE_NAMES) t.ok(Value.Check(schema, loadFixture(name)), name);
  t.ok(parsedIsAResult);
});

t.test('the schema rejects a wrong status and a missing field', async (t) => {
  const r = structuredClone(loadFixture('passing')) as unknown as Record<string, unknown>;
  t.notOk(Value.Check(schema, { ...r, verdict: 'fine' }));
  const { gates: _g, ...withoutGates } = r;
  t.notOk(Value.Check(schema, withoutGates));
});
