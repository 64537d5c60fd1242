/**
 * The phase results cache around one run: before it, keys are found and every phase whose key has a
 * stored passing result is restored into this run's output folder (its files, attempts and log) and
 * dropped from the graph with the services only it used; after it, every phase that passed and was
 * not restored is stored. Failed, errored, cancelled or skipped phases are never stored.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stepId } from '../compile/compile.js';
import { dropCachedPhases } from '../compile/drop-cached.js';
import type { Step, StepGraph } from '../compile/graph.js';
import type { ImageHandle } from '../drivers/driver.js';
import { engineAtWork, type RunEvent } from '../execute/events.js';
import type { ExecutionRecord } from '../execute/execute-plan.js';
import { phaseOutputDir } from '../execute/plan-step-runner.js';
import type { PhaseState } from '../execute/run-state.js';
import type { StepRecord } from '../execute/scheduler.js';
import { cachedMark } from '../report/cache-mark.js';
import type { PhaseCache, RunResults } from '../report/results.js';
import {
  blobDigest,
  ENTRY_VERSION,
  packEntry,
  prepareEntries,
  unpackEntry,
  type EntryMeta,
  type EntryState,
} from './entry.js';
import { LogCapture } from './log-capture.js';
import { resolveKeys, type ResolveOptions } from './resolve-keys.js';
import type { CacheStore } from './store.js';

export interface CacheSettings {
  readonly store: CacheStore;
  /** False with `--no-cache`: nothing is reused; passing results are still stored. */
  readonly reuse: boolean;
  /** Entries larger than this are not stored. */
  readonly maxEntryBytes?: number;
  /** Called after entries were stored (automatic pruning of a local store). */
  readonly afterStore?: () => Promise<void>;
}

export const DEFAULT_MAX_ENTRY_BYTES = 256 * 1024 * 1024;

interface Restored {
  readonly meta: EntryMeta;
  readonly state: PhaseState;
  readonly log: readonly string[];
}

export class RunCache {
  private readonly restored = new Map<string, Restored>();
  private readonly records: StepRecord[] = [];
  private readonly marks = new Map<string, PhaseCache>();
  private keys: ReadonlyMap<string, string> = new Map();
  private images: ReadonlyMap<string, ImageHandle> = new Map();
  private capture = new LogCapture(new Set());
  private readsOutput = new Set<string>();

  constructor(private readonly settings: CacheSettings) {}

  /** Finds keys, restores hits and returns the graph left to execute. */
  async prepare(o: ResolveOptions): Promise<StepGraph> {
    const found = await resolveKeys(o);
    this.keys = found.keys;
    this.images = found.images;
    this.records.push(...found.records);
    for (const [phase, why] of found.uncached) this.marks.set(phase, { status: 'off', reason: why });
    if (this.settings.reuse && !o.signal.aborted) {
      await Promise.all([...found.keys].map(([phase, key]) => this.restore(o, phase, key)));
    } else if (!this.settings.reuse) {
      for (const [phase, key] of found.keys) this.marks.set(phase, { status: 'miss', key, reason: '--no-cache' });
    }
    this.capture = new LogCapture(new Set([...found.keys.keys()].filter((p) => !this.restored.has(p))));
    this.readsOutput = new Set(
      Object.values(o.plan.phases)
        .filter((p) => p.results?.format === 'text' && p.results.path === undefined)
        .map((p) => p.name),
    );
    const left = dropCachedPhases(o.plan, o.graph, new Set(this.restored.keys()), new Set(found.images.keys()));
    this.skipDropped(o, left);
    return left;
  }

  /** Steps that will not run because only restored phases needed them (a service, the network): said once, as skipped. */
  private skipDropped(o: ResolveOptions, left: StepGraph): void {
    const kept = new Set(left.steps.map((s) => s.id));
    const done = new Set(this.records.map((r) => r.step.id));
    const at = o.now();
    const message = 'not needed: only phases restored from the cache use it';
    for (const step of o.graph.steps) {
      if (kept.has(step.id) || done.has(step.id)) continue;
      o.onEvent({ kind: 'step-finished', step, status: 'skipped', at, durationMs: 0, message });
      this.records.push({ step, status: 'skipped', message });
    }
  }

  /** Plan images already prepared: the executor starts from these. */
  get preparedImages(): ReadonlyMap<string, ImageHandle> {
    return this.images;
  }

  /** Sees the run's events: the output of phases that may be stored. */
  readonly onEvent = (event: RunEvent): void => {
    // Phases with a key are stored after the run: the packer loads while the engine works.
    if (this.keys.size > 0 && engineAtWork(event)) prepareEntries();
    this.capture.onEvent(event);
  };

  /** What restored phases printed, as the events a text-results reader expects. */
  replay(): RunEvent[] {
    return [...this.restored].flatMap(([phase, r]) => {
      const attempt = r.state.attempts.at(-1);
      if (!attempt) return [];
      const step = { kind: 'run-phase' as const, subject: phase, attempt: attempt.attempt };
      return [
        ...r.log.map((line): RunEvent => ({ kind: 'log', source: phase, step, line, stream: 'stdout' })),
        {
          kind: 'phase-attempt',
          phase,
          attempt: attempt.attempt,
          exitCode: attempt.exitCode,
          timedOut: attempt.timedOut,
        },
      ];
    });
  }

  private async restore(o: ResolveOptions, phase: string, key: string): Promise<void> {
    const entry = await this.settings.store.get(key);
    if (!entry) return void this.marks.set(phase, { status: 'miss', key, reason: 'no stored passing result' });
    const dir = phaseOutputDir(o.run.outDir, phase);
    let unpacked: Awaited<ReturnType<typeof unpackEntry>>;
    try {
      await rm(dir, { recursive: true, force: true });
      unpacked = await unpackEntry(entry.blob, dir);
      await mkdir(dir, { recursive: true });
      await writeFile(path.join(dir, 'log.txt'), unpacked.log.length ? `${unpacked.log.join('\n')}\n` : '');
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      const why = error instanceof Error ? error.message : String(error);
      return void this.marks.set(phase, { status: 'miss', key, reason: `the stored entry is unusable: ${why}` });
    }
    const { meta } = entry;
    const state: PhaseState = {
      attempts: unpacked.state.attempts.map((a) => ({ ...a })),
      collected: unpacked.state.collected.map((c) => ({
        source: c.source,
        ...(c.rel !== undefined ? { path: path.join(dir, c.rel), writtenByPhase: c.written !== false } : {}),
        ...(c.error !== undefined ? { error: c.error } : {}),
      })),
    };
    this.restored.set(phase, { meta, state, log: unpacked.log });
    const from = {
      runId: meta.runId,
      date: meta.createdAt,
      ...(meta.commit ? { commit: meta.commit } : {}),
      ...(meta.dirty ? { dirty: true } : {}),
    };
    this.marks.set(phase, { status: 'hit', key, from });
    const message = cachedMark(from);
    const at = o.now();
    for (const step of stepsOf(o.graph, phase)) {
      const said = step.kind === 'run-phase' ? message : 'restored from the cache';
      o.onEvent({ kind: 'step-started', step, at });
      o.onEvent({ kind: 'step-finished', step, status: 'passed', at, durationMs: 0, message: said });
      this.records.push({ step, status: 'passed', startedAt: at, finishedAt: at, message: said });
    }
  }

  /** The executor's record with the restored phases and the steps run before it, in graph order. */
  merge(full: StepGraph, record: ExecutionRecord): ExecutionRecord {
    for (const [phase, r] of this.restored) record.state.phases.set(phase, r.state);
    for (const [name, handle] of this.images) if (!record.state.images.has(name)) record.state.images.set(name, handle);
    const order = new Map(full.steps.map((s, i) => [s.id, i]));
    const steps = [...this.records, ...record.steps].sort(
      (a, b) => (order.get(a.step.id) ?? 0) - (order.get(b.step.id) ?? 0),
    );
    return { ...record, steps };
  }

  /** Stores every phase that passed and ran here; returns the results with each phase's `cache` block. */
  async finish(results: RunResults, record: ExecutionRecord, outDir: string): Promise<RunResults> {
    const stored: string[] = [];
    await Promise.all(
      results.phases.map(async (p) => {
        const key = this.keys.get(p.name);
        if (key === undefined || this.restored.has(p.name)) return;
        if (p.status !== 'passed') {
          const was = p.status === 'error' ? 'errored' : p.status;
          return void this.marks.set(p.name, {
            status: 'miss',
            key,
            reason: `it ${was}: only passing results are stored`,
          });
        }
        const state = record.state.phases.get(p.name);
        if (!state) return;
        const why = await this.store(results, p.name, key, state, outDir);
        if (why) this.marks.set(p.name, { status: 'miss', key, reason: why });
        else {
          this.marks.set(p.name, { status: 'stored', key });
          stored.push(p.name);
        }
      }),
    );
    if (stored.length > 0) await this.settings.afterStore?.().catch(() => undefined);
    return {
      ...results,
      phases: results.phases.map((p) => {
        const mark = this.marks.get(p.name);
        return mark ? { ...p, cache: mark } : p;
      }),
    };
  }

  /** Undefined when stored; otherwise why not. */
  private async store(
    results: RunResults,
    phase: string,
    key: string,
    state: PhaseState,
    outDir: string,
  ): Promise<string | undefined> {
    const dir = phaseOutputDir(outDir, phase);
    const log = this.capture.of(phase);
    if (log.dropped && this.readsOutput.has(phase))
      return 'its results are read from its output, which is too long to keep whole in the cache';
    const entryState: EntryState = {
      attempts: state.attempts,
      collected: state.collected.map((c) => ({
        source: c.source,
        ...(c.path ? { rel: path.relative(dir, c.path), written: c.writtenByPhase !== false } : {}),
        ...(c.error ? { error: c.error } : {}),
      })),
      logLines: log.lines.length,
      ...(log.dropped ? { truncated: true } : {}),
    };
    if (entryState.collected.some((c) => c.rel !== undefined && (c.rel.startsWith('..') || path.isAbsolute(c.rel))))
      return 'a collected file lies outside the phase folder';
    try {
      await mkdir(dir, { recursive: true });
      const lines = log.dropped ? [...log.lines, `… ${log.dropped} more line(s) not kept in the cache`] : log.lines;
      const blob = await packEntry(dir, entryState, lines);
      const max = this.settings.maxEntryBytes ?? DEFAULT_MAX_ENTRY_BYTES;
      if (blob.length > max)
        return `its entry (${blob.length} bytes) is larger than the ${max} bytes an entry may take`;
      const meta: EntryMeta = {
        v: ENTRY_VERSION,
        key,
        plan: results.plan.name,
        phase,
        runId: results.runId,
        createdAt: results.startedAt,
        ...(results.git ? { commit: results.git.commit, ...(results.git.dirty ? { dirty: true } : {}) } : {}),
        blob: { digest: blobDigest(blob), size: blob.length },
      };
      await this.settings.store.put(meta, blob);
      return undefined;
    } catch (error) {
      return `not stored in ${this.settings.store.where}: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
}

function stepsOf(graph: StepGraph, phase: string): Step[] {
  const ids = new Set([stepId.phase(phase), stepId.collect(phase)]);
  return graph.steps.filter((s) => ids.has(s.id));
}
