/** The last run's figures read back for scheduling (run/run-history.ts): readiness per service, from stored results.json. */
import t from 'tap';
import { appendFileSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RunResults } from '../../src/report/results.js';
import { readRunHistory } from '../../src/run/run-history.js';
import { MAX_RESULTS_BYTES } from '../../src/run/stored-runs.js';
import { phase, plan, service } from '../helpers/plan-builder.js';
import { runOnFake } from '../helpers/run-on-fake.js';
import { tempDir } from '../helpers/temp-dir.js';

const withDb = plan({
  services: [service('db', { ports: [5432] }), service('cache', { ports: [6379] })],
  phases: [phase('unit', { services: ['db', 'cache'] })],
});

/** A stored run: real results of a fake run, with the services' figures set as a slower engine would give. */
async function store(
  runs: string,
  folder: string,
  ageSeconds: number,
  edit: (r: RunResults) => RunResults,
  p = withDb,
): Promise<void> {
  const { results } = await runOnFake(p, {});
  const dir = path.join(runs, folder);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'results.json');
  writeFileSync(file, JSON.stringify(edit(results)));
  const at = Date.now() / 1000 - ageSeconds;
  utimesSync(file, at, at);
}

const readiness = (ms: Record<string, number>, setupMs?: number) => (r: RunResults) => ({
  ...r,
  services: r.services.map((s) => ({
    ...s,
    readyMs: ms[s.name] ?? s.readyMs,
    ...(setupMs !== undefined ? { setup: { durationMs: setupMs, commands: 1, ran: 1, passed: true } } : {}),
  })),
});

t.test('readiness comes from the newest run of the plan that started services, setup included', async (t) => {
  const runs = tempDir('history');
  await store(runs, 'old', 300, readiness({ db: 9000, cache: 9000 }));
  await store(runs, 'last', 200, readiness({ db: 1200, cache: 4 }, 100));
  await store(runs, 'cached', 100, (r) => ({ ...r, services: [] })); // every phase from the cache: no service started
  await store(runs, 'other-plan', 50, (r) => ({ ...r, plan: { ...r.plan, name: 'another' } }));
  writeFileSync(path.join(runs, 'broken.json'), '{');
  mkdirSync(path.join(runs, 'broken'));
  writeFileSync(path.join(runs, 'broken', 'results.json'), '{ "plan": ');

  const history = await readRunHistory(withDb, path.join(runs, 'this-run'));
  t.same(Object.fromEntries(history.readyMs), { db: 1300, cache: 104 });
  t.same(history.shardFileMs, new Map());
});

t.test('the slowest instance of a service counts; no stored run, no figures', async (t) => {
  const runs = tempDir('history-instances');
  await store(runs, 'last', 10, (r) => ({
    ...r,
    services: [
      { ...r.services[0]!, name: 'db', readyMs: 200 },
      { ...r.services[0]!, name: 'db', forPhase: 'unit', readyMs: 700 },
    ],
  }));
  t.same(Object.fromEntries((await readRunHistory(withDb, path.join(runs, 'this-run'))).readyMs), { db: 700 });
  t.same((await readRunHistory(withDb, path.join(tempDir('history-none'), 'this-run'))).readyMs, new Map());
});

t.test('a stored results.json too large to be one is passed over unread', async (t) => {
  const runs = tempDir('history-huge');
  await store(runs, 'last', 100, readiness({ db: 800 }));
  // The newest run: readable JSON padded past the bound (trailing spaces are valid JSON).
  await store(runs, 'huge', 10, readiness({ db: 5000 }));
  const huge = path.join(runs, 'huge', 'results.json');
  appendFileSync(huge, Buffer.alloc(MAX_RESULTS_BYTES, ' '));
  t.same(Object.fromEntries((await readRunHistory(withDb, path.join(runs, 'this-run'))).readyMs), {
    db: 800,
    cache: 12,
  });
});
