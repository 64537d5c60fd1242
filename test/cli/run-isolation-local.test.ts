/**
 * The isolation bar on `--driver local`: two parallel phases sharing one key-value store (a host
 * process) break each other; with `scope: 'phase'` each gets its own process on its own free port,
 * with `exclusive: true` they take turns. Also: `--phase` says which needs it pulled in, `--no-needs`
 * runs a phase alone, and the plan's `concurrency` applies unless `--concurrency` overrides it.
 */
import t from 'tap';
import { join } from 'node:path';
import type { RunResults, StepTiming } from '../../src/report/results.js';
import { readOut, readResults, REPO, runCli, tempDir, writePlan } from './e2e-helpers.js';

const FIXTURES = join(REPO, 'fixtures/local');

function kvPlan(name: string, kv: Record<string, unknown>): string {
  const claim = (me: string) => `node ${join(FIXTURES, 'kv-claim.mjs')} ${me} \${kv.host} \${kv.port}`;
  return writePlan({
    name,
    services: {
      kv: {
        image: 'kv:latest',
        ports: [7000],
        ready: { tcp: { port: 7000 } },
        local: { command: `node ${join(FIXTURES, 'kv-server.mjs')} \${port}` },
        ...kv,
      },
    },
    phases: {
      left: { image: 'node:20', services: ['kv'], run: claim('left') },
      right: { image: 'node:20', services: ['kv'], run: claim('right') },
    },
  });
}

function interval(steps: readonly StepTiming[], id: string): [number, number] {
  const step = steps.find((s) => s.id === id);
  if (!step?.startedAt || !step.finishedAt) throw new Error(`step ${id} has no timing: ${JSON.stringify(step)}`);
  return [Date.parse(step.startedAt), Date.parse(step.finishedAt)];
}

const overlapMs = (results: RunResults, a = 'left', b = 'right'): number => {
  const x = interval(results.steps, `run-phase:${a}`);
  const y = interval(results.steps, `run-phase:${b}`);
  return Math.min(x[1], y[1]) - Math.max(x[0], y[0]);
};

async function run(file: string, name: string, extra: string[] = []) {
  const out = tempDir(name);
  const res = await runCli(['run', file, '--driver', 'local', '--reporter', 'plain', '--out', out, ...extra]);
  return { res, out, results: readResults(out) };
}

t.test('shared store, parallel phases: one loses its key', async (t) => {
  const { res, results } = await run(kvPlan('local-shared', {}), 'local-shared', ['--concurrency', '2']);
  t.equal(res.code, 1, res.stderr);
  t.equal(results.phases.filter((p) => p.status === 'failed').length, 1);
  t.ok(overlapMs(results) > 0, 'they overlapped');
  t.match(res.stderr, /services\.kv: phases left and right can run at the same time/);
});

t.test("scope: 'phase': a process and a port each; both pass in parallel", async (t) => {
  const { res, results } = await run(kvPlan('local-per-phase', { scope: 'phase' }), 'local-per-phase', [
    '--concurrency',
    '2',
  ]);
  t.equal(res.code, 0, res.stderr);
  t.ok(overlapMs(results) > 0, 'they overlapped');
  t.same(
    results.services.map((s) => [s.name, s.forPhase]),
    [
      ['kv', 'left'],
      ['kv', 'right'],
    ],
  );
});

t.test('exclusive: they take turns and both pass', async (t) => {
  const { res, results } = await run(kvPlan('local-exclusive', { exclusive: true }), 'local-exclusive', [
    '--concurrency',
    '2',
  ]);
  t.equal(res.code, 0, res.stderr);
  t.ok(overlapMs(results) <= 0, 'no overlap');
});

const chain = (concurrency?: number) =>
  writePlan({
    name: 'local-selection',
    ...(concurrency ? { concurrency } : {}),
    phases: {
      build: { image: 'node:20', run: 'sleep 0.5' },
      migrate: { image: 'node:20', run: 'sleep 0.5', needs: ['build'] },
      e2e: { image: 'node:20', run: 'true', needs: ['migrate'] },
      lint: { image: 'node:20', run: 'sleep 0.5' },
    },
  });

t.test('--phase names the needs it pulled in; --no-needs runs the phase alone and says so', async (t) => {
  const pulled = await run(chain(), 'local-pulled', ['--phase', 'e2e']);
  t.equal(pulled.res.code, 0, pulled.res.stderr);
  t.match(pulled.res.stderr, /also running build \(needed by migrate\), migrate \(needed by e2e\)/);
  t.same(pulled.results.selection.pulledIn, [
    { phase: 'build', neededBy: ['migrate'] },
    { phase: 'migrate', neededBy: ['e2e'] },
  ]);
  t.match(readOut(pulled.out, 'report.md'), /also running build \(needed by migrate\)/);

  const alone = await run(chain(), 'local-alone', ['--phase', 'e2e', '--no-needs']);
  t.equal(alone.res.code, 0, alone.res.stderr);
  t.same(
    alone.results.phases.map((p) => p.name),
    ['e2e'],
  );
  t.match(alone.res.stderr, /not running migrate \(needed by e2e\): --no-needs counts them as satisfied/);
  t.same(alone.results.selection.notRun, [{ phase: 'migrate', neededBy: ['e2e'] }]);
  t.match(readOut(alone.out, 'report.md'), /not running migrate \(needed by e2e\)/);
});

t.test("the plan's concurrency applies; --concurrency overrides it", async (t) => {
  const one = await run(chain(1), 'local-plan-concurrency');
  t.equal(one.res.code, 0, one.res.stderr);
  t.ok(overlapMs(one.results, 'build', 'lint') <= 0, 'concurrency: 1 in the plan: build and lint took turns');
  const two = await run(chain(1), 'local-cli-concurrency', ['--concurrency', '2']);
  t.equal(two.res.code, 0, two.res.stderr);
  t.ok(overlapMs(two.results, 'build', 'lint') > 0, '--concurrency 2 overrides it: they overlapped');
});
