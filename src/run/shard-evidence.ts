/**
 * A sharded phase's evidence: each shard read as a phase of its own (its own files, its own stale
 * check, its own "ran zero tests"), then merged (evidence/merge-shards.ts). The phase passes only when
 * every shard did; results.json gets a per-shard block with durations, files and their estimated times.
 */
import path from 'node:path';
import type { PhaseSpec } from '../dsl/plan.js';
import { mergeShardCoverage, mergeShardTests, type ShardEvidence } from '../evidence/merge-shards.js';
import type { CoverageReport, PhaseRunStatus, TestCase, TestReport } from '../evidence/index.js';
import type { StepRecord } from '../execute/scheduler.js';
import type { PhaseState } from '../execute/run-state.js';
import type { ShardState } from '../execute/shard-state.js';
import { shardFailure } from '../execute/run-shards.js';
import type { PhaseShards, ShardResult } from '../report/results.js';
import { readPhaseEvidence, type PhaseFindings } from './phase-evidence.js';

/** Worst first: the status a phase takes from its shards. */
const RANK: readonly PhaseRunStatus[] = ['error', 'failed', 'cancelled', 'skipped', 'passed'];
const worst = (statuses: readonly PhaseRunStatus[]): PhaseRunStatus =>
  RANK.find((s) => statuses.includes(s)) ?? 'passed';

const shardLabel = (s: ShardState): string => `shard ${s.index}/${s.count}`;

async function readShard(spec: PhaseSpec, s: ShardState): Promise<PhaseFindings> {
  if (s.failure) return { name: spec.name, status: 'error', message: s.failure };
  if (s.cancelled) return { name: spec.name, status: 'cancelled', message: 'cancelled' };
  return readPhaseEvidence(spec, undefined, { attempts: s.attempts, collected: s.collected });
}

export async function readShardedPhaseEvidence(
  spec: PhaseSpec,
  step: StepRecord | undefined,
  state: PhaseState | undefined,
  outDir: string,
): Promise<PhaseFindings> {
  const declares = { results: spec.results !== undefined, coverage: spec.coverage !== undefined };
  const shards = state?.shards;
  if (!shards || shards.list.length === 0) {
    const message = shards?.listingError ?? step?.message;
    const status: PhaseRunStatus = shards?.listingError
      ? 'error'
      : step?.status === 'cancelled'
        ? 'cancelled'
        : step?.status === 'failed'
          ? 'error'
          : 'skipped';
    return { name: spec.name, status, declares, ...(message ? { message } : {}) };
  }
  const read = await Promise.all(shards.list.map((s) => readShard(spec, s)));
  const status = worst(read.map((r) => r.status));
  const label = (i: number): string => shardLabel(shards.list[i]!);
  const tests = spec.results
    ? mergeShardTests(
        read.map(
          (r, i): ShardEvidence<TestReport> => ({
            label: label(i),
            result: r.tests ?? {
              ok: false,
              error: { file: spec.results!.path ?? '(output)', phase: spec.name, message: r.message ?? 'no results' },
            },
          }),
        ),
      )
    : undefined;
  const coverage = spec.coverage
    ? mergeShardCoverage(
        read.map(
          (r, i): ShardEvidence<CoverageReport> => ({
            label: label(i),
            result: r.coverage ?? {
              ok: false,
              error: { file: spec.coverage!.path, phase: spec.name, message: r.message ?? 'no coverage' },
            },
          }),
        ),
      )
    : undefined;
  const notes = read.flatMap((r, i) => (r.status !== 'passed' && r.message ? [`${label(i)}: ${r.message}`] : []));
  const wall =
    step?.startedAt !== undefined && step.finishedAt !== undefined
      ? step.finishedAt - step.startedAt
      : Math.max(0, ...read.map((r) => r.durationMs ?? 0));
  const message = notes.length > 0 ? notes.join('; ') : status === 'passed' && step?.message ? step.message : undefined;
  return {
    name: spec.name,
    status,
    declares,
    durationMs: wall,
    ...(tests ? { tests } : {}),
    ...(coverage ? { coverage } : {}),
    ...(message ? { message } : {}),
    shards: {
      requested: shards.requested,
      split: shards.split ?? 'runner',
      list: shards.list.map((s, i) => shardResult(spec, s, read[i]!, outDir)),
    },
  };
}

function shardResult(spec: PhaseSpec, s: ShardState, findings: PhaseFindings, outDir: string): ShardResult {
  const durationMs = s.attempts.reduce((sum, a) => sum + a.durationMs, 0);
  const cases = findings.tests?.ok ? findings.tests.value.cases : undefined;
  const message = findings.message ?? shardFailure(spec, s);
  return {
    index: s.index,
    status: findings.status,
    durationMs,
    attempts: s.attempts.map(({ attempt, exitCode, timedOut, durationMs: ms }) => ({
      attempt,
      exitCode,
      timedOut,
      durationMs: ms,
    })),
    ...(findings.tests?.ok ? { counts: findings.tests.value.counts } : {}),
    ...(s.files ? { files: [...s.files], fileMs: fileTimes(s, s.attempts.at(-1)?.durationMs ?? 0, cases) } : {}),
    services: s.services.map((r) => ({
      name: r.service,
      instance: r.instance,
      ...(r.ready?.ready ? { readyMs: r.ready.elapsedMs } : {}),
      ...(r.message ? { message: r.message } : {}),
    })),
    artifacts: s.collected.flatMap((f) => (f.path ? [path.relative(outDir, f.path)] : [])),
    logTail: s.attempts.at(-1)?.logTail ?? [],
    ...(message && findings.status !== 'passed' ? { message } : {}),
  };
}

/**
 * Each file's share of the shard's time: by its cases' own durations when the report names files
 * (`file`, or a suite named like the file), otherwise by size. What the next run's split weighs.
 */
export function fileTimes(
  s: ShardState,
  shardMs: number,
  cases: Iterable<TestCase> | undefined,
): Record<string, number> {
  const files = s.files ?? [];
  const byCases = new Map<string, number>();
  if (cases) {
    const lookup = fileLookup(files);
    for (const c of cases) {
      const file = lookup(c.file ?? '') ?? lookup(c.suite);
      if (file) byCases.set(file, (byCases.get(file) ?? 0) + c.durationMs);
    }
  }
  const caseTotal = [...byCases.values()].reduce((a, b) => a + b, 0);
  const useCases = caseTotal > 0 && byCases.size === files.length;
  const weight = (f: string): number => (useCases ? (byCases.get(f) ?? 0) : Math.max(1, s.sizes?.[f] ?? 1));
  const total = files.reduce((sum, f) => sum + weight(f), 0);
  return Object.fromEntries(files.map((f) => [f, total > 0 ? Math.round((shardMs * weight(f)) / total) : 0]));
}

/** Finds the listed file a report's file or suite names: the same path, or one ending like it. */
function fileLookup(files: readonly string[]): (name: string) => string | undefined {
  const exact = new Set(files);
  const seen = new Map<string, string | undefined>();
  return (name) => {
    if (!name) return undefined;
    if (seen.has(name)) return seen.get(name);
    const clean = name.startsWith('./') ? name.slice(2) : name;
    const found = exact.has(clean) ? clean : files.find((f) => clean.endsWith(`/${f}`) || f.endsWith(`/${clean}`));
    seen.set(name, found);
    return found;
  };
}

/** What a sharded phase shows as its own output and files: its first failing shard's log tail, every shard's files. */
export function shardedPhaseOutput(shards: PhaseShards): { logTail: readonly string[]; artifacts: string[] } {
  const failing = shards.list.find((s) => s.status !== 'passed');
  return { logTail: failing?.logTail ?? [], artifacts: shards.list.flatMap((s) => [...s.artifacts]) };
}
