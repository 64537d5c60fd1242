import t from 'tap';
import { copyFile } from 'node:fs/promises';
import { inspect } from 'node:util';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadPlanFile } from '../../src/load/load-plan.js';
import { PlanInvalidError, formatProblem } from '../../src/errors.js';
import type { TestPlan } from '../../src/dsl/plan.js';

const valid = fileURLToPath(new URL('../../fixtures/plans/valid/', import.meta.url));

async function problemsOf(file: string): Promise<string[]> {
  try {
    await loadPlanFile(file, { env: {} });
  } catch (error) {
    if (error instanceof PlanInvalidError) return error.problems.map(formatProblem);
    throw error;
  }
  return [];
}

/** Everything but the file it came from, secrets included by value. */
const comparable = (plan: TestPlan) =>
  inspect({ ...plan, file: '', secrets: plan.secrets.map((s) => [s.source, s.reveal()]) }, { depth: Infinity });

t.test('the same plan in TypeScript and YAML normalises to the same TestPlan', async (t) => {
  const ts = await loadPlanFile(join(valid, 'shop.plan.ts'));
  const yaml = await loadPlanFile(join(valid, 'shop.plan.yaml'));
  t.equal(ts.file, join(valid, 'shop.plan.ts'));
  t.equal(yaml.file, join(valid, 'shop.plan.yaml'));
  t.equal(ts.dir, valid.replace(/\/$/, ''));
  t.equal(comparable(ts), comparable(yaml));
  t.equal(ts.name, 'shop');
  t.strictSame(Object.keys(ts.phases), ['unit', 'integration', 'e2e']);
  t.strictSame(Object.keys(ts.checks), ['gate:lint', 'criterion:NFR-2']);
  t.strictSame(
    ts.secrets.map((s) => s.source),
    ['services.pg.env.POSTGRES_PASSWORD', 'phases.integration.env.PGPASSWORD'],
  );
  t.strictSame(ts.services['pg']?.ready, {
    intervalMs: 50,
    timeoutMs: 30_000,
    kind: 'exec',
    command: ['pg_isready', '-h', '127.0.0.1', '-p', '5432', '-U', 'shop', '-d', 'shop_test'],
  });
  t.strictSame(yaml.phases['integration']?.mounts, [{ source: join(valid, 'seed'), target: '/seed', readOnly: true }]);
});

t.test('.plan.yml loads like .plan.yaml', async (t) => {
  const dir = t.testdir({ plans: { seed: {} }, app: { Dockerfile: 'FROM node:20 AS test\n' } });
  await copyFile(join(valid, 'shop.plan.yaml'), join(dir, 'plans', 'shop.plan.yml'));
  const plan = await loadPlanFile(join(dir, 'plans', 'shop.plan.yml'));
  t.equal(plan.images['app']?.kind === 'build' && plan.images['app'].context, join(dir, 'app'));
});

t.test(
  "a plan outside this repository imports 'testplan' without installing it, and sees its own import.meta",
  async (t) => {
    const dir = t.testdir({
      'outside.plan.ts': `import { defineTestPlan, secret } from 'testplan';
import { phases } from './phases.js';
export default defineTestPlan({ name: 'outside', description: import.meta.url, phases, services: { s: { image: 'a:1', env: { P: secret('p') } } } });
`,
      'phases.ts': `export const phases = { unit: { image: 'node:20', run: 'npm test' } } as const;\n`,
    });
    const plan = await loadPlanFile(join(dir, 'outside.plan.ts'));
    t.equal(plan.description, pathToFileURL(join(dir, 'outside.plan.ts')).href);
    t.strictSame(plan.phases['unit']?.command, ['sh', '-c', 'npm test']);
    t.equal(plan.secrets[0]?.reveal(), 'p');
  },
);

t.test('a plan that imports npm packages loads through tsx and still gets testplan', async (t) => {
  const plan = await loadPlanFile(join(valid, 'with-package.plan.ts'));
  t.equal(plan.name, 'with-package');
  t.match(plan.description, /^file:.*with-package\.plan\.ts/);
  t.strictSame(plan.phases['unit']?.image, { kind: 'ref', ref: 'node:20' });
});

t.test('secrets from env are read from the env given to the loader', async (t) => {
  const dir = t.testdir({
    'env.plan.yaml':
      "name: env\nphases:\n  unit: { image: 'node:20', run: 'true', env: { T: { secretFromEnv: MY_TOKEN } } }\n",
  });
  const plan = await loadPlanFile(join(dir, 'env.plan.yaml'), { env: { MY_TOKEN: 'tok' } });
  t.equal(plan.secrets[0]?.reveal(), 'tok');
  t.strictSame(await problemsOf(join(dir, 'env.plan.yaml')), [
    `${join(dir, 'env.plan.yaml')}:3:49: phases.unit.env.T: secret from environment variable 'MY_TOKEN' is not set: export MY_TOKEN before running the plan`,
  ]);
});

t.test('files that cannot be plans say what to do', async (t) => {
  const dir = t.testdir({ 'x.plan.json': '{}', folder: {} });
  t.strictSame(await problemsOf(join(dir, 'missing.plan.ts')), [
    `${join(dir, 'missing.plan.ts')}: cannot read the plan file (ENOENT): check the path`,
  ]);
  t.strictSame(await problemsOf(join(dir, 'missing.plan.yaml')), [
    `${join(dir, 'missing.plan.yaml')}: cannot read the plan file (ENOENT): check the path`,
  ]);
  t.strictSame(await problemsOf(join(dir, 'x.plan.json')), [
    `${join(dir, 'x.plan.json')}: is not a plan file: name it *.plan.ts, *.plan.yaml, *.plan.yml or *.plan.js`,
  ]);
  t.strictSame(await problemsOf(join(dir, 'folder')), [
    `${join(dir, 'folder')}: cannot read the plan file (EISDIR): check the path`,
  ]);
});

t.test('an empty YAML file is not a plan', async (t) => {
  const dir = t.testdir({ 'empty.plan.yaml': '' });
  t.strictSame(await problemsOf(join(dir, 'empty.plan.yaml')), [
    `${join(dir, 'empty.plan.yaml')}: the plan must be an object, not null: write a mapping with 'name' and 'phases' (in TypeScript: export default defineTestPlan({ name, phases }))`,
  ]);
});
