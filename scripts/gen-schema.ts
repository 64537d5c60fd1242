/** Writes schema/plan.schema.json from the TypeBox schema. Run: npx tsx scripts/gen-schema.ts */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { planJsonSchema } from '../src/dsl/schema.js';

const target = fileURLToPath(new URL('../schema/plan.schema.json', import.meta.url));
await writeFile(target, planJsonSchema());
console.log(`wrote ${target}`);
