/**
 * What the last run of the plan measured, read from the newest results.json of the same plan: the run's
 * own folder (a reused `--out`) or its siblings (`.testplan/runs/*`). Anything unreadable or foreign is
 * passed over: without history, shards split by file size and every service starts beside the phases.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { TestPlan } from '../dsl/plan.js';
import type { RunHistory } from '../execute/run-history.js';
import { MAX_RESULTS_BYTES, storedResultFiles } from './stored-runs.js';

/** How many of the newest run folders are looked at. */
const MAX_CANDIDATES = 20;

interface LooseResults {
  readonly plan?: { readonly name?: unknown };
  readonly phases?: readonly {
    readonly name?: unknown;
    readonly shards?: { readonly list?: readonly { readonly fileMs?: Record<string, unknown> }[] };
  }[];
  readonly services?: readonly {
    readonly name?: unknown;
    readonly readyMs?: unknown;
    readonly setup?: { readonly durationMs?: unknown };
  }[];
}

const ms = (x: unknown): number | undefined => (typeof x === 'number' && Number.isFinite(x) && x >= 0 ? x : undefined);

/** Per sharded phase the last run's milliseconds per file; per service how long it took to be ready and set up. */
export async function readRunHistory(plan: TestPlan, outDir: string): Promise<RunHistory> {
  const sharded = Object.values(plan.phases)
    .filter((p) => p.shard?.files !== undefined)
    .map((p) => p.name);
  const shardFileMs = new Map<string, Map<string, number>>();
  const readyMs = new Map<string, number>();
  const history = { shardFileMs, readyMs };
  const services = Object.keys(plan.services);
  if (sharded.length === 0 && services.length === 0) return history;
  let readinessSeen = false;
  for (const { file, bytes } of await storedResultFiles(path.dirname(outDir), MAX_CANDIDATES)) {
    if (bytes > MAX_RESULTS_BYTES) continue;
    let results: LooseResults;
    try {
      results = JSON.parse(await readFile(file, 'utf8')) as LooseResults;
    } catch {
      continue;
    }
    if (results?.plan?.name !== plan.name) continue;
    // Readiness from the newest run of the plan that started any service: one run's figures, not a mix.
    if (!readinessSeen && Array.isArray(results.services) && results.services.length > 0) {
      readinessSeen = true;
      for (const service of results.services) {
        const name = typeof service?.name === 'string' ? service.name : undefined;
        const ready = ms(service?.readyMs);
        if (!name || !services.includes(name) || ready === undefined) continue;
        const total = ready + (ms(service.setup?.durationMs) ?? 0);
        readyMs.set(name, Math.max(readyMs.get(name) ?? 0, total)); // the slowest of its instances
      }
    }
    for (const phase of Array.isArray(results.phases) ? results.phases : []) {
      const name = typeof phase?.name === 'string' ? phase.name : undefined;
      if (!name || !sharded.includes(name) || shardFileMs.has(name) || !Array.isArray(phase.shards?.list)) continue;
      const times = new Map<string, number>();
      for (const shard of phase.shards.list) {
        for (const [f, t] of Object.entries(shard?.fileMs ?? {})) {
          const time = ms(t);
          if (time !== undefined) times.set(f, time);
        }
      }
      if (times.size > 0) shardFileMs.set(name, times);
    }
    if (shardFileMs.size === sharded.length && (readinessSeen || services.length === 0)) break;
  }
  return history;
}
