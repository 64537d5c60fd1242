/**
 * Compile-time proof that the TypeBox schema and the hand-written DSL types describe the same
 * shape. `npx tsc -p tsconfig.json` checks it, and so does test/load/type-check.test.ts (which
 * makes `tap` go red on drift). Kept free of runtime imports so checking it is cheap.
 */
import type { Static } from '@sinclair/typebox';
import type { PlanSchema } from '../../src/dsl/schema.js';
import type { PlanInput } from '../../src/dsl/types.js';

type Schema = Static<typeof PlanSchema>;
type Input = PlanInput<string, string, string>;
type Assignable<From, To> = [From] extends [To] ? true : false;
const assertTrue = <T extends true>(value: T): T => value;

export const schemaAcceptsEveryInput = assertTrue<Assignable<Input, Schema>>(true);
export const inputAcceptsEverySchemaValue = assertTrue<Assignable<Schema, Input>>(true);
