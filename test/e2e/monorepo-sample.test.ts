/**
 * The sample monorepo (fixtures/monorepo) end to end through the built CLI: a per-file text runner and
 * mocha, both on PostgreSQL with roles and databases made by the service's setup behind a mounted
 * pg_hba.conf, coverage from c8. Green as committed; red when a test fails, when a password is wrong
 * and when pg_hba.conf lets a role in without one. Counts and coverage are checked against what the
 * runners themselves printed and what c8 wrote.
 */
import t from 'tap';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResults } from '../../src/report/results.js';
import {
  assertNothingLeft,
  BIN,
  readOut,
  readResults,
  REPO,
  requireEngine,
  runCli,
  tempDir,
} from '../cli/e2e-helpers.js';

const FIXTURE = join(REPO, 'fixtures/monorepo');
const PLAN = join(FIXTURE, 'plans/monorepo.plan.ts');
const SECRETS = ['admin-sample-pw-4b1e', 'ledger-sample-pw-7f3a', 'inventory-sample-pw-c92d'];
const RUN_TIMEOUT_MS = 600_000;

type Phase = RunResults['phases'][number];

function phase(results: RunResults, name: string): Phase {
  const found = results.phases.find((p) => p.name === name);
  if (found === undefined) throw new Error(`no phase ${name} in results.json`);
  return found;
}

/** A copy of the fixture (and the postgres image's folder its plan builds from) with `edits` applied. */
function variant(edits: Record<string, [from: string, to: string]>): string {
  const root = tempDir('monorepo-variant');
  cpSync(FIXTURE, join(root, 'monorepo'), { recursive: true, filter: (src) => !src.includes('node_modules') });
  cpSync(join(REPO, 'fixtures/docker'), join(root, 'docker'), { recursive: true });
  for (const [file, [from, to]] of Object.entries(edits)) {
    const path = join(root, 'monorepo', file);
    const text = readFileSync(path, 'utf8');
    if (!text.includes(from)) throw new Error(`variant: ${file} has no ${JSON.stringify(from)} (the fixture changed)`);
    writeFileSync(path, text.replace(from, to));
  }
  return join(root, 'monorepo/plans/monorepo.plan.ts');
}

async function run(plan: string): Promise<{ code: number | null; out: string; results: RunResults; stdout: string }> {
  const out = tempDir('monorepo-out');
  const res = await runCli(['run', plan, '--out', out, '--reporter', 'plain'], { timeoutMs: RUN_TIMEOUT_MS });
  t.comment(`plan run ${plan.replace(REPO, '.')}: exit ${res.code} in ${(res.ms / 1000).toFixed(1)} s`);
  if (!existsSync(join(out, 'results.json'))) throw new Error(`no results.json (exit ${res.code}):\n${res.stderr}`);
  return { code: res.code, out, results: readResults(out), stdout: `${res.stdout}\n${res.stderr}` };
}

/** The counts a runner printed itself (its own summary), read from the phase's lines in run.log. */
function printedCounts(runLog: string, name: 'ledger' | 'inventory'): { passed: number; failed: number } {
  const lines = runLog.split('\n').filter((l) => l.includes(`[${name}] `));
  const first = (re: RegExp): RegExpExecArray | undefined =>
    lines.map((l) => re.exec(l)).find((m): m is RegExpExecArray => m !== null);
  if (name === 'ledger') {
    const m = first(/\] ledger: (\d+) passed, (\d+) failed, \d+ files$/);
    if (!m) throw new Error('the ledger runner printed no summary line');
    return { passed: Number(m[1]), failed: Number(m[2]) };
  }
  const passing = first(/\]\s+(\d+) passing\b/);
  if (!passing) throw new Error('mocha printed no "N passing" line');
  return { passed: Number(passing[1]), failed: Number(first(/\]\s+(\d+) failing\b/)?.[1] ?? 0) };
}

/** Covered/total lines, branches and functions summed from the lcov file c8 wrote. */
function lcovTotals(file: string): Record<'lines' | 'branches' | 'functions', { covered: number; total: number }> {
  const sum = (key: string): number =>
    [...readFileSync(file, 'utf8').matchAll(new RegExp(`^${key}:(\\d+)$`, 'gm'))].reduce((n, m) => n + Number(m[1]), 0);
  return {
    lines: { covered: sum('LH'), total: sum('LF') },
    branches: { covered: sum('BRH'), total: sum('BRF') },
    functions: { covered: sum('FNH'), total: sum('FNF') },
  };
}

function failedNames(results: RunResults): string[] {
  return results.phases.flatMap((p) => (p.failures ?? []).map((f) => `${p.name}: ${f.name}`));
}

t.before(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` first`);
});

t.test('the committed plan type-checks and validates', async (t) => {
  const res = await runCli(['check', '--types', PLAN]);
  t.equal(res.code, 0, res.stderr);
  t.match(res.stdout, /plan monorepo-sample is valid \(2 phase\(s\), 1 service\(s\), 4 criteria\), types check/);
});

// One engine check for the runs below: without an engine (and not in CI) one line says how to enable them.
t.test('on the Docker engine', async (engine) => {
  if (!requireEngine(engine)) return;

  engine.test('the sample runs green: exact counts, c8 coverage, gates and criteria', async (t) => {
    const { code, out, results, stdout } = await run(PLAN);
    if (code !== 0) t.comment(stdout.slice(-3000));
    t.equal(code, 0, 'exit 0');
    t.equal(results.verdict, 'passed');

    const runLog = readOut(out, 'run.log');
    const expected = { ledger: 16, inventory: 12 } as const;
    for (const [name, count] of Object.entries(expected) as ['ledger' | 'inventory', number][]) {
      const p = phase(results, name);
      t.equal(p.status, 'passed', `${name} passed`);
      t.same(printedCounts(runLog, name), { passed: count, failed: 0 }, `${name}: the runner printed ${count} passed`);
      t.same(p.counts, { total: count, passed: count, failed: 0, errored: 0, skipped: 0 }, `${name}: counts`);

      const lcov = lcovTotals(join(out, `phases/${name}/files/out/coverage/lcov.info`));
      t.ok(lcov.lines.total > 0 && lcov.branches.total > 0 && lcov.functions.total > 0, `${name}: c8 wrote lcov`);
      for (const metric of ['lines', 'branches', 'functions'] as const) {
        t.match(p.coverage?.[metric], lcov[metric], `${name}: ${metric} as c8's lcov says`);
      }
    }
    t.same(results.tests, { total: 28, passed: 28, failed: 0, errored: 0, skipped: 0 });
    const both = ['ledger', 'inventory'].map((n) => lcovTotals(join(out, `phases/${n}/files/out/coverage/lcov.info`)));
    for (const metric of ['lines', 'branches', 'functions'] as const) {
      t.match(
        results.coverage?.[metric],
        {
          covered: both[0]![metric].covered + both[1]![metric].covered,
          total: both[0]![metric].total + both[1]![metric].total,
        },
        `merged ${metric}`,
      );
    }

    t.same(
      results.gates.filter((g) => g.status !== 'pass').map((g) => `${g.name} ${g.status}: ${g.message}`),
      [],
      'every gate passes',
    );
    t.ok(
      results.gates.some((g) => g.name === 'coverage[ledger].lines'),
      'per-phase coverage gates were evaluated',
    );
    t.same(
      results.acceptance.map((c) => [c.id, c.status]),
      [
        ['LEDGER-1', 'pass'],
        ['INV-1', 'pass'],
        ['SEC-1', 'pass'],
        ['NFR-1', 'pass'],
      ],
    );
    t.match(results.services, [{ name: 'postgres', status: 'ready', setup: { commands: 2, ran: 2, passed: true } }]);
    const window = (id: string) => {
      const step = results.steps.find((s) => s.id === id);
      return [Date.parse(step?.startedAt ?? ''), Date.parse(step?.finishedAt ?? '')] as const;
    };
    const [ledger, inventory, setup] = ['run-phase:ledger', 'run-phase:inventory', 'setup-service:postgres'].map(
      window,
    );
    t.ok(
      ledger![0] < inventory![1] && inventory![0] < ledger![1],
      'the two phases ran at the same time, on one PostgreSQL',
    );
    t.ok(setup![1] <= Math.min(ledger![0], inventory![0]), "the service's setup finished before either phase started");
    for (const [file, text] of Object.entries({
      stdout,
      'run.log': runLog,
      'results.json': readOut(out, 'results.json'),
      'report.md': readOut(out, 'report.md'),
      'junit.xml': readOut(out, 'junit.xml'),
    })) {
      for (const secret of SECRETS) t.notOk(text.includes(secret), `${file} never shows a password`);
    }
    await assertNothingLeft(t, results);
  });

  engine.test('one failing test in each package turns the run red and names both tests', async (t) => {
    const plan = variant({
      'packages/inventory/test/reservations.spec.js': [
        "await reserve(pool, 'order-1', 'mug', 4);\n    assert.equal(await available(pool, 'mug'), 6);",
        "await reserve(pool, 'order-1', 'mug', 4);\n    assert.equal(await available(pool, 'mug'), 7);",
      ],
      'packages/ledger/tests/transfer.test.js': [
        "equal(await balance(pool, 'alice'), 300, 'alice');",
        "equal(await balance(pool, 'alice'), 301, 'alice');",
      ],
    });
    const { code, out, results } = await run(plan);
    t.equal(code, 1, 'exit 1');
    t.equal(results.verdict, 'failed');
    t.same(results.tests, { total: 28, passed: 26, failed: 2, errored: 0, skipped: 0 });
    t.same(failedNames(results).sort(), [
      'inventory: holds units for an order',
      'ledger: moves money and records one entry',
    ]);
    const runLog = readOut(out, 'run.log');
    t.same(printedCounts(runLog, 'ledger'), { passed: 15, failed: 1 }, 'the ledger runner printed 1 failed');
    t.same(printedCounts(runLog, 'inventory'), { passed: 11, failed: 1 }, 'mocha printed 1 failing');
    t.match(readOut(out, 'report.md'), /holds units for an order/);
    t.match(readOut(out, 'report.md'), /moves money and records one entry/);
    t.match(
      results.acceptance.find((c) => c.id === 'NFR-1'),
      { status: 'fail' },
    );
    await assertNothingLeft(t, results);
  });

  engine.test("a wrong password in the service's setup is red, never green", async (t) => {
    const plan = variant({
      'plans/monorepo.plan.ts': [
        'PASSWORD_ledger: passwords.ledger,',
        "PASSWORD_ledger: secret('not-the-ledger-password'),",
      ],
    });
    const { code, out, results } = await run(plan);
    t.not(code, 0, 'not exit 0');
    t.not(results.verdict, 'passed');
    t.equal(phase(results, 'ledger').status, 'failed', 'the ledger phase fails');
    t.equal(phase(results, 'inventory').status, 'passed', 'the inventory phase, with its own role, still passes');
    t.match(readOut(out, 'run.log'), /password authentication failed for user "ledger"/);
    await assertNothingLeft(t, results);
  });

  engine.test('a pg_hba.conf that lets a role in without its password is red', async (t) => {
    const plan = variant({
      'postgres/pg_hba.conf': [
        'host    ledger     ledger     all            scram-sha-256',
        'host    ledger     ledger     all            trust',
      ],
    });
    const { code, results } = await run(plan);
    t.equal(code, 1, 'exit 1');
    t.same(failedNames(results), ['ledger: needs its password']);
    t.match(
      results.acceptance.find((c) => c.id === 'SEC-1'),
      { status: 'fail' },
    );
    await assertNothingLeft(t, results);
  });

  engine.test('a setup command that fails stops the run before any phase (exit 3), naming the command', async (t) => {
    const plan = variant({ 'plans/monorepo.plan.ts': ['PASSWORD_inventory: passwords.inventory,', ''] });
    const { code, results, stdout } = await run(plan);
    t.equal(code, 3, 'exit 3');
    t.not(results.verdict, 'passed');
    t.same(
      results.phases.map((p) => [p.name, p.status]),
      [
        ['ledger', 'skipped'],
        ['inventory', 'skipped'],
      ],
      'neither phase ran',
    );
    t.match(stdout, 'setup command 2 of 2 (sh /setup/create-package-db.sh inventory) exited with code 2');
    t.match(stdout, /PASSWORD_inventory is not set/);
    t.same(
      results.acceptance.filter((c) => c.status !== 'not-run').map((c) => c.id),
      [],
      'no criterion has evidence',
    );
    t.match(
      results.services,
      [{ name: 'postgres', setup: { commands: 2, ran: 2, passed: false } }],
      'the second command failed',
    );
    await assertNothingLeft(t, results);
  });
});
