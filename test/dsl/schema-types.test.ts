/**
 * Compile-time proof that the TypeBox schema and the hand-written DSL types describe the same
 * shape: `npx tsc -p tsconfig.json` fails on drift, and test/load/type-check.test.ts type-checks
 * this file so `tap` goes red too.
 */
import t from 'tap';
import type { Static } from '@sinclair/typebox';
import { PlanSchema } from '../../src/dsl/schema.js';
import type { PlanInput } from '../../src/dsl/types.js';

type Schema = Static<typeof PlanSchema>;
type Input = PlanInput<string, string, string>;
type Assignable<From, To> = [From] extends [To] ? true : false;
const assertTrue = <T extends true>(value: T): T => value;

export const schemaAcceptsEveryInput = assertTrue<Assignable<Input, Schema>>(true);
export const inputAcceptsEverySchemaValue = assertTrue<Assignable<Schema, Input>>(true);

t.test('the schema and PlanInput are mutually assignable (checked by tsc)', async (t) => {
  t.equal(schemaAcceptsEveryInput && inputAcceptsEverySchemaValue, true);
});
