import t from 'tap';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadPlanModule } from '../../src/load/load-module.js';

const planText = (name: string) =>
  `import { defineTestPlan } from 'testplan';\nimport { image } from './shared';\nexport default defineTestPlan({ name: '${name}', phases: { unit: { image, run: 'true' } } });\n`;

async function nameOf(file: string, cacheDir: string): Promise<string> {
  const loaded = await loadPlanModule(file, path.basename(file), { env: {}, cacheDir, limits: { timeoutMs: 10_000, timeoutFlag: '--load-timeout' } });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  return (loaded.input as { name: string }).name;
}

t.test('a compiled plan is reused until the plan or anything it imports changes', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'testplan-cache-plan-'));
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'testplan-cache-'));
  const file = path.join(dir, 'demo.plan.ts');
  writeFileSync(path.join(dir, 'shared.ts'), `export const image = 'node:20';\n`);
  writeFileSync(file, planText('first'));
  t.equal(await nameOf(file, cacheDir), 'first');

  // Prove the second load reads the cache: tamper with the stored code and see it come back.
  const [entryName] = readdirSync(cacheDir);
  const entryPath = path.join(cacheDir, entryName!);
  const entry = JSON.parse(readFileSync(entryPath, 'utf8'));
  writeFileSync(entryPath, JSON.stringify({ ...entry, code: entry.code.replace(/(['"])first\1/, '"from-cache"') }));
  t.equal(await nameOf(file, cacheDir), 'from-cache');

  writeFileSync(file, planText('second'));
  t.equal(await nameOf(file, cacheDir), 'second', 'an edited plan is compiled again');

  const again = JSON.parse(readFileSync(entryPath, 'utf8'));
  writeFileSync(entryPath, JSON.stringify({ ...again, code: again.code.replace(/(['"])second\1/, '"stale"') }));
  writeFileSync(path.join(dir, 'shared.ts'), `export const image = 'node:22';\n`);
  t.equal(await nameOf(file, cacheDir), 'second', 'an edited import is compiled again, not served stale');
});
