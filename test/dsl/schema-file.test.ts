import t from 'tap';
import { readFile } from 'node:fs/promises';
import { planJsonSchema } from '../../src/dsl/schema.js';

const committed = new URL('../../schema/plan.schema.json', import.meta.url);

t.test(
  'schema/plan.schema.json is what scripts/gen-schema.ts generates now (run it after changing src/dsl/schema.ts)',
  async (t) => {
    t.equal(await readFile(committed, 'utf8'), planJsonSchema());
  },
);

t.test(
  'the JSON Schema is plain JSON for editors: strict keys, durations as patterns, regex tests as strings',
  async (t) => {
    const schema = JSON.parse(planJsonSchema());
    t.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
    t.same(schema.required, ['name', 'phases']);
    t.equal(schema.additionalProperties, false);
    const phase = Object.values(schema.properties.phases.patternProperties)[0] as {
      properties: Record<string, { pattern?: string }>;
    };
    t.equal(phase.properties['timeout']?.pattern, '^[0-9]+(\\.[0-9]+)?(ms|s|m|h)$');
    const tests = schema.properties.acceptance.items.properties.verifiedBy.properties.tests;
    t.equal(tests.type, 'string');
    t.notOk('anyOf' in tests);
    t.notMatch(planJsonSchema(), /Symbol|Unsafe/);
  },
);
