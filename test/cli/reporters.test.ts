import { readFileSync } from 'node:fs';
import t from 'tap';
import path from 'node:path';
import type { CommandContext } from '../../src/cli/context.js';
import { main } from '../../src/cli/main.js';
import { outcomeLines } from '../../src/cli/reporters/print-outcome.js';
import { defaultReporters, reporterNames } from '../../src/cli/reporters/names.js';
import { createReporters } from '../../src/cli/reporters/registry.js';
import type { RunEvent } from '../../src/execute/events.js';
import { runIdentity } from '../../src/run/run-identity.js';
import { loadFixture } from '../report/fixtures.js';

function context(overrides: Partial<CommandContext> = {}): CommandContext & { out: () => string; err: () => string } {
  let stdout = '';
  let stderr = '';
  return {
    cwd: process.cwd(),
    env: {},
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    isTTY: false,
    columns: () => 100,
    relative: (f) => f,
    onSignal: () => () => {},
    exit: () => {},
    ...overrides,
    out: () => stdout,
    err: () => stderr,
  };
}

const run = runIdentity('demo', 'run-1', '/tmp/out');
const start = { verbosity: 'normal' as const, steps: [], driver: 'docker' as const, run };

t.test('default reporters: live on a terminal, plain otherwise, github added under GitHub Actions', async (t) => {
  t.same(defaultReporters(context({ isTTY: true })), ['live']);
  t.same(defaultReporters(context()), ['plain']);
  t.same(defaultReporters(context({ env: { GITHUB_ACTIONS: 'true' } })), ['github', 'plain']);
  t.same(
    reporterNames(context(), ['json', 'plain,json']),
    ['json', 'plain'],
    'several, comma-separated or repeated, once each',
  );
  t.throws(() => reporterNames(context(), ['fancy']), {
    message: '--reporter fancy: expected one of live, plain, github, json.',
  });
});

t.test('json: one parseable JSON object per line on stdout, nothing for people', async (t) => {
  const ctx = context();
  const reporter = createReporters(ctx, ['json'], start);
  const events: RunEvent[] = [
    { kind: 'run-started', runId: 'run-1', plan: 'demo', driver: 'Docker', at: 1 },
    { kind: 'log', source: 'unit', line: 'hello "world"', stream: 'stdout' },
  ];
  events.forEach(reporter.onEvent);
  await reporter.onFinished({ results: loadFixture('failing'), written: ['out/results.json'], kept: false });
  const lines = ctx
    .out()
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as { kind: string; verdict?: string; exitCode?: number });
  t.same(lines.slice(0, 2), events);
  t.match(lines[2], { kind: 'run-finished', verdict: 'failed', exitCode: 1 });
  t.equal(ctx.err(), '', 'nothing on stderr');
});

t.test('plain prints events on stderr and the outcome on stdout; github adds workflow commands', async (t) => {
  const ctx = context({ env: { GITHUB_ACTIONS: 'true' } });
  const reporter = createReporters(ctx, ['github', 'plain'], start);
  reporter.onEvent({
    kind: 'log',
    source: 'unit',
    step: { kind: 'run-phase', subject: 'unit', attempt: 1 },
    line: 'collected 3 items',
    stream: 'stdout',
  });
  await reporter.onFinished({ results: loadFixture('failing'), written: [], kept: false });
  t.match(ctx.err(), '[unit] collected 3 items');
  t.match(ctx.out(), /::error/);
  t.match(ctx.out(), /✖ FAILED {2}\S+ {2}\(exit 1\)\n/);
  t.ok(ctx.out().indexOf('::error') < ctx.out().indexOf('✖ FAILED'), 'the verdict is last');
});

t.test('--keep hints depend on the driver: no docker ps under --driver local', async (t) => {
  const results = loadFixture('passing');
  const docker = outcomeLines(results, [], { run, driver: 'docker' }).join('\n');
  const local = outcomeLines(results, [], { run, driver: 'local' }).join('\n');
  t.match(docker, 'docker ps --filter label=testplan.run=run-1');
  t.notMatch(local, /docker/);
  t.match(local, 'host processes of plan itself');
});

t.test('help is generated from the options the parser reads; every command has --help', async (t) => {
  const ctx = context();
  t.equal(await main(['help'], ctx), 0);
  t.match(ctx.out(), /prune[^\n]*\n(?: {4}[^\n]*\n)*? {4}--driver KIND[^\n]*TESTPLAN_DRIVER/);
  for (const command of ['run', 'check', 'graph', 'report', 'list', 'prune']) {
    const c = context();
    t.equal(await main([command, '--help'], c), 0, `plan ${command} --help exits 0`);
    t.match(c.out(), `Usage: plan ${command}`);
    t.equal(c.err(), '');
  }
  const c = context();
  t.equal(await main(['run', '--bogus'], c), 2);
  t.match(c.err(), "plan run: Unknown option '--bogus'. Run `plan run --help` for its options.");
});

t.test('plan --version (and -v) prints the package version', async (t) => {
  const { version } = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../package.json'), 'utf8'));
  for (const flag of ['--version', '-v']) {
    const c = context();
    t.equal(await main([flag], c), 0);
    t.equal(c.out(), `plan ${version}\n`);
  }
});

t.test('TESTPLAN_DRIVER is read by prune too', async (t) => {
  const c = context({ env: { TESTPLAN_DRIVER: 'local' }, cwd: path.resolve('.') });
  t.equal(await main(['prune'], c), 0, c.err());
  t.match(c.out(), 'pruned runs whose runner is gone: 0 container(s)');
});
