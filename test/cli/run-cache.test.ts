/**
 * The phase results cache end to end on the real engine: a second run of an unchanged plan restores
 * every phase and creates no container (asked of the engine's event log, by the run's label), with
 * the same verdict and the same report apart from the cache marks; a changed source file re-runs
 * exactly the phase that mounts it and the phase that needs it.
 */
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResults } from '../../src/report/results.js';
import {
  assertNothingLeft,
  E2E_FIXTURES,
  FIXTURE_IMAGES,
  readOut,
  readResults,
  requireEngine,
  runCli,
  tempDir,
  writePlan,
} from './e2e-helpers.js';

/** Names of the containers created with `label` between two times (docker's event log). */
function containersCreated(label: string, since: number, until: number): string[] {
  const out = execFileSync(
    'docker',
    [
      'events',
      '--since',
      String(since / 1000),
      '--until',
      String(until / 1000),
      '--filter',
      'type=container',
      '--filter',
      'event=create',
      '--filter',
      `label=${label}`,
      '--format',
      '{{.Actor.Attributes.name}}',
    ],
    { encoding: 'utf8' },
  );
  return out.split('\n').filter(Boolean);
}

function fixture(): { file: string; dir: string; src1: string } {
  const dir = tempDir('cache-e2e');
  const src1 = join(dir, 'src1');
  const src2 = join(dir, 'src2');
  mkdirSync(src1);
  mkdirSync(src2);
  writeFileSync(join(src1, 'a.txt'), 'one\n');
  writeFileSync(join(src2, 'b.txt'), 'two\n');
  cpSync(join(E2E_FIXTURES, 'junit.sh'), join(dir, 'junit.sh'));
  const mounts = (src: string) => [
    { source: src, target: '/src', readOnly: true },
    { source: './junit.sh', target: '/junit.sh', readOnly: true },
  ];
  const name = `cache-e2e-${Math.random().toString(36).slice(2, 8)}`;
  const file = writePlan(
    {
      name,
      images: { client: FIXTURE_IMAGES.client, redis: FIXTURE_IMAGES.redis },
      services: { redis: { image: 'redis', ready: { preset: 'redis' } } },
      phases: {
        first: {
          image: 'client',
          mounts: mounts('./src1'),
          run: "sh /junit.sh /out/j.xml first 'reads a' 'grep -q one /src/a.txt'",
          results: { junit: '/out/j.xml' },
        },
        second: {
          image: 'client',
          needs: ['first'],
          services: ['redis'],
          mounts: mounts('./src2'),
          run: "sh /junit.sh /out/j.xml second 'pings redis' 'redis-cli -h ${redis.host} -p ${redis.port} ping'",
          results: { junit: '/out/j.xml' },
        },
        third: {
          image: 'client',
          mounts: mounts('./src2'),
          run: "sh /junit.sh /out/j.xml third 'reads b' 'grep -q two /src/b.txt'",
          results: { junit: '/out/j.xml' },
        },
      },
      gates: { tests: { failed: 0, minExecuted: 3 } },
      acceptance: [{ id: 'FR-1', requirement: 'redis answers', verifiedBy: { tests: 'pings redis' } }],
    },
    dir,
  );
  return { file, dir, src1 };
}

const cacheStatus = (r: RunResults): Record<string, string | undefined> =>
  Object.fromEntries(r.phases.map((p) => [p.name, p.cache?.status]));

/** report.md without what differs between any two runs (ids, times, durations), the cache marks, and the services and timeline (no service starts for cached phases). */
function comparableReport(report: string): string {
  return report
    .replace(/ \(cached — from run [^)]*\)/g, '')
    .replace(/\n## Services\n[\s\S]*?(?=\n## )/, '\n')
    .replace(/```mermaid[\s\S]*?```/g, '')
    .replace(/cache-e2e-\w+-\d{8}-\d{6}-\w+/g, '<run>')
    .replace(/\d{4}-\d\d-\d\d[ T][\d:.]+Z?( UTC)?/g, '<time>')
    .replace(/\d+(\.\d+)?(ms|s)\b/g, '<duration>')
    .replace(/\n{3,}/g, '\n\n');
}

t.test(
  'an unchanged plan runs again from the cache without one container; a changed file re-runs what depends on it',
  async (t) => {
    if (!requireEngine(t)) return;
    const { file, dir, src1 } = fixture();
    const cacheDir = join(tempDir('cache-dir'), 'phases');
    // --no-baseline: the second run would otherwise add a "Since baseline" section comparing it with the first.
    const run = async (out: string) => {
      const since = Date.now();
      const argv = ['run', file, '--out', out, '--cache-dir', cacheDir, '--reporter', 'plain', '--no-baseline'];
      const res = await runCli(argv, { cwd: dir });
      const results = readResults(out);
      // Let the engine's event log catch up before asking it.
      await new Promise((r) => setTimeout(r, 300));
      return { res, results, created: containersCreated(`testplan.run=${results.runId}`, since - 1000, Date.now()) };
    };

    const first = await run(join(dir, 'out1'));
    t.equal(first.res.code, 0, first.res.stdout + first.res.stderr);
    t.same(cacheStatus(first.results), { first: 'stored', second: 'stored', third: 'stored' });
    t.ok(first.created.length >= 4, 'the first run created its containers (the event log sees them)');

    const second = await run(join(dir, 'out2'));
    t.equal(second.res.code, 0, second.res.stdout + second.res.stderr);
    t.same(cacheStatus(second.results), { first: 'hit', second: 'hit', third: 'hit' });
    t.same(second.created, [], 'no container with the run label was ever created');
    t.equal(second.results.verdict, first.results.verdict);
    t.same(second.results.tests, first.results.tests);
    t.same(second.results.acceptance, first.results.acceptance);
    t.equal(
      comparableReport(readOut(join(dir, 'out2'), 'report.md')),
      comparableReport(readOut(join(dir, 'out1'), 'report.md')),
      'the same report apart from the cache marks',
    );
    t.match(readOut(join(dir, 'out2'), 'report.md'), `cached — from run ${first.results.runId}`);
    t.match(
      second.res.stderr + second.res.stdout,
      /run-phase:first passed .* — cached — from run /,
      'the console says so',
    );
    await assertNothingLeft(t, second.results);

    writeFileSync(join(src1, 'a.txt'), 'one\nmore\n');
    const third = await run(join(dir, 'out3'));
    t.equal(third.res.code, 0, third.res.stdout + third.res.stderr);
    t.same(
      cacheStatus(third.results),
      { first: 'stored', second: 'stored', third: 'hit' },
      'first and the phase needing it re-ran',
    );
    t.ok(
      third.created.some((n) => /first/.test(n)) && third.created.some((n) => /second/.test(n)),
      'their containers were created',
    );
    t.notOk(
      third.created.some((n) => /third/.test(n)),
      'not the unchanged phase',
    );
    await assertNothingLeft(t, third.results);
  },
);
