/**
 * The last run's per-file durations of sharded phases, read from the newest results.json of the same
 * plan: the run's own folder (a reused `--out`) or its siblings (`.testplan/runs/*`). Anything
 * unreadable or foreign is passed over: without history the split falls back to file sizes.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { TestPlan } from '../dsl/plan.js';
import type { ShardHistory } from '../execute/shard-state.js';

/** How many of the newest run folders are looked at. */
const MAX_CANDIDATES = 20;

interface LooseResults {
  readonly plan?: { readonly name?: unknown };
  readonly phases?: readonly {
    readonly name?: unknown;
    readonly shards?: { readonly list?: readonly { readonly fileMs?: Record<string, unknown> }[] };
  }[];
}

async function candidates(outDir: string): Promise<string[]> {
  const parent = path.dirname(outDir);
  const names = await readdir(parent).catch(() => [] as string[]);
  const dated = await Promise.all(
    names.map(async (name) => {
      const file = path.join(parent, name, 'results.json');
      const info = await stat(file).catch(() => undefined);
      return info ? { file, at: info.mtimeMs } : undefined;
    }),
  );
  return dated
    .filter((d): d is { file: string; at: number } => d !== undefined)
    .sort((a, b) => b.at - a.at)
    .slice(0, MAX_CANDIDATES)
    .map((d) => d.file);
}

/** Per sharded phase of `plan`, the last run's milliseconds per file; empty when there is none. */
export async function readShardHistory(plan: TestPlan, outDir: string): Promise<ShardHistory> {
  const wanted = Object.values(plan.phases)
    .filter((p) => p.shard?.files !== undefined)
    .map((p) => p.name);
  const history = new Map<string, Map<string, number>>();
  if (wanted.length === 0) return history;
  for (const file of await candidates(outDir)) {
    let results: LooseResults;
    try {
      results = JSON.parse(await readFile(file, 'utf8')) as LooseResults;
    } catch {
      continue;
    }
    if (results?.plan?.name !== plan.name || !Array.isArray(results.phases)) continue;
    for (const phase of results.phases) {
      const name = typeof phase?.name === 'string' ? phase.name : undefined;
      if (!name || !wanted.includes(name) || history.has(name) || !Array.isArray(phase.shards?.list)) continue;
      const times = new Map<string, number>();
      for (const shard of phase.shards.list) {
        for (const [f, ms] of Object.entries(shard?.fileMs ?? {}))
          if (typeof ms === 'number' && Number.isFinite(ms) && ms >= 0) times.set(f, ms);
      }
      if (times.size > 0) history.set(name, times);
    }
    if (history.size === wanted.length) break;
  }
  return history;
}
