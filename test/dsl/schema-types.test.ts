import t from 'tap';
import { inputAcceptsEverySchemaValue, schemaAcceptsEveryInput } from './schema-types.assert.js';

t.test('the schema and PlanInput are mutually assignable (proved by tsc in schema-types.assert.ts)', async (t) => {
  t.equal(schemaAcceptsEveryInput, true);
  t.equal(inputAcceptsEverySchemaValue, true);
});
