/**
 * Sharded phases, the pure part: which services each shard gets its own instances of, and how a
 * phase's test files split into balanced groups. No I/O: the file list and the past durations come in.
 */
import type { TestPlan } from '../dsl/plan.js';

/** The services a shard starts for itself: the phase's services and what they depend on, dependencies first. */
export function shardServiceOrder(plan: TestPlan, phase: string): string[] {
  const order: string[] = [];
  const visit = (name: string): void => {
    if (order.includes(name)) return;
    for (const dep of plan.services[name]!.dependsOn) visit(dep);
    order.push(name);
  };
  for (const name of plan.phases[phase]!.services) visit(name);
  return order;
}

/** Services one run-wide instance serves: those of unsharded phases and what they depend on. */
export function runWideServices(plan: TestPlan, phases: readonly string[], selected: readonly string[]): string[] {
  const wanted = new Set<string>();
  for (const phase of phases) {
    if (plan.phases[phase]!.shard) continue;
    for (const name of shardServiceOrder(plan, phase)) wanted.add(name);
  }
  return selected.filter((name) => wanted.has(name));
}

export interface ShardFile {
  /** As the phase sees it: relative to its working folder, or absolute. */
  readonly path: string;
  readonly sizeBytes: number;
}

export interface ShardGroup {
  /** From 1. */
  readonly index: number;
  readonly files: readonly string[];
  /** What the split expected this shard to take: milliseconds by past durations, otherwise bytes. */
  readonly weight: number;
}

export interface ShardSplit {
  readonly groups: readonly ShardGroup[];
  /** `duration`: weighed by the last run's per-file durations; `size`: by file size. */
  readonly by: 'duration' | 'size';
}

/**
 * Splits `files` into at most `count` groups, greedy longest first (each file to the lightest group so
 * far; ties to the lower index), so the result is the same for the same input. With past durations for
 * some files, every file is weighed in milliseconds (a new file at the known files' average per byte);
 * otherwise by size. Fewer files than `count` gives one group per file: a shard with nothing to run is
 * never started, since it could only pass vacuously.
 */
export function splitShardFiles(
  files: readonly ShardFile[],
  count: number,
  pastMs: ReadonlyMap<string, number> = new Map(),
): ShardSplit {
  const known = files.filter((f) => pastMs.has(f.path));
  const by = known.length > 0 ? 'duration' : 'size';
  const knownBytes = known.reduce((sum, f) => sum + Math.max(1, f.sizeBytes), 0);
  const knownMs = known.reduce((sum, f) => sum + pastMs.get(f.path)!, 0);
  const msPerByte = knownBytes > 0 ? knownMs / knownBytes : 0;
  const weightOf = (f: ShardFile): number =>
    by === 'size' ? Math.max(1, f.sizeBytes) : (pastMs.get(f.path) ?? Math.max(1, f.sizeBytes) * msPerByte);
  const weighed = files
    .map((f) => ({ path: f.path, weight: weightOf(f) }))
    .sort((a, b) => b.weight - a.weight || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const n = Math.min(count, files.length);
  const groups = Array.from({ length: n }, () => ({ files: [] as string[], weight: 0 }));
  for (const file of weighed) {
    let lightest = 0;
    for (let i = 1; i < n; i++) if (groups[i]!.weight < groups[lightest]!.weight) lightest = i;
    groups[lightest]!.files.push(file.path);
    groups[lightest]!.weight += file.weight;
  }
  return {
    by,
    groups: groups.map((g, i) => ({ index: i + 1, files: [...g.files].sort(), weight: g.weight })),
  };
}
