/**
 * Validate + compile a generated plan with 200 phases and 40 services (target < 100 ms), and the
 * whole `plan check` process on a 10-phase .plan.ts, cold (target < 300 ms). Prints medians.
 * Run: npx tsx bench/compile.ts   (after `npm run build`, which the CLI figure uses)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { compilePlan } from '../src/compile/compile.js';
import { validatePlan } from '../src/dsl/validate/index.js';

function generatedPlan(phases: number, services: number): unknown {
  const svc = Object.fromEntries(
    Array.from({ length: services }, (_, i) => [
      `svc${i}`,
      { image: 'redis:7', ports: [6379], ready: { preset: 'redis' }, ...(i > 0 ? { dependsOn: [`svc${i - 1}`] } : {}) },
    ]),
  );
  const ph = Object.fromEntries(
    Array.from({ length: phases }, (_, i) => [
      `phase${i}`,
      {
        image: 'app',
        run: `run-tests --shard ${i}`,
        services: [`svc${i % services}`, `svc${(i * 7) % services}`].filter((v, j, a) => a.indexOf(v) === j),
        env: { REDIS_URL: `redis://\${svc${i % services}.host}:\${svc${i % services}.port}` },
        ...(i > 0 ? { needs: [`phase${Math.floor(i / 2)}`] } : {}),
        results: { junit: '/out/junit.xml' },
        timeout: '5m',
      },
    ]),
  );
  return {
    name: 'bench',
    images: { app: { build: { context: '.', target: 'test' } } },
    services: svc,
    phases: ph,
    gates: { coverage: { lines: 80 }, tests: { failed: 0, minExecuted: 10 }, duration: { max: '30m' } },
    acceptance: [{ id: 'FR-1', requirement: 'all phases pass', verifiedBy: { phases: ['phase0', 'phase199'] } }],
  };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const input = generatedPlan(200, 40);
const validateMs: number[] = [];
const compileMs: number[] = [];
for (let i = 0; i < 30; i++) {
  const t0 = performance.now();
  const plan = validatePlan(input, { file: '/bench/bench.plan.yaml', dir: '/bench' });
  const t1 = performance.now();
  const graph = compilePlan(plan);
  const t2 = performance.now();
  validateMs.push(t1 - t0);
  compileMs.push(t2 - t1);
  if (i === 0) console.log(`plan: 200 phases, 40 services → ${graph.steps.length} steps`);
}
console.log(`validate (median of 30):           ${median(validateMs).toFixed(1)} ms`);
console.log(`compile  (median of 30):           ${median(compileMs).toFixed(1)} ms`);
console.log(
  `validate + compile (median of 30): ${median(validateMs.map((v, i) => v + compileMs[i]!)).toFixed(1)} ms  (target < 100 ms)`,
);

// The whole `plan check` process, cold, on a 10-phase TypeScript plan inside a project that uses testplan.
const repo = path.resolve(import.meta.dirname, '..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'testplan-bench-'));
mkdirSync(path.join(dir, 'plans'));
const phases = Array.from(
  { length: 10 },
  (_, i) => `    p${i}: { image: 'app', run: 'echo ${i}', services: ['redis']${i ? `, needs: ['p${i - 1}']` : ''} },`,
).join('\n');
writeFileSync(
  path.join(dir, 'plans', 'ten.plan.ts'),
  `import { defineTestPlan } from 'testplan';\nexport default defineTestPlan({\n  name: 'ten',\n  images: { app: { build: { context: '..' } } },\n  services: { redis: { image: 'redis:7', ready: { preset: 'redis' } } },\n  phases: {\n${phases}\n  },\n});\n`,
);
mkdirSync(path.join(dir, 'node_modules'));
execFileSync('ln', ['-s', repo, path.join(dir, 'node_modules', 'testplan')]);
const bin = path.join(repo, 'dist', 'cli', 'bin.js');
const processMs: number[] = [];
for (let i = 0; i < 11; i++) {
  const t0 = performance.now();
  execFileSync(process.execPath, [bin, 'check', 'plans/ten.plan.ts'], { cwd: dir, stdio: 'pipe' });
  processMs.push(performance.now() - t0);
}
console.log(
  `plan check process, 10-phase .plan.ts (median of 11): ${median(processMs).toFixed(0)} ms  (target < 300 ms)`,
);
