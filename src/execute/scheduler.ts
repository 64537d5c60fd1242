/**
 * Runs a step graph: a step starts when everything it needs has finished. Work steps run only when
 * their needs passed and count against `concurrency`; teardown steps run whenever their needs are
 * done (in any state) so that cleanup happens on failure, timeout and cancellation too. A step's
 * `after` steps must be done too, in any state (ordering only); a step holding `locks` (exclusive
 * services) waits while another step holds one of them.
 */
import type { Step, StepGraph, StepKind } from '../compile/graph.js';
import type { EventSink, StepStatus } from './events.js';
import { Slots } from './slots.js';

export interface StepOutcome {
  readonly status: 'passed' | 'failed';
  readonly message?: string;
}

export interface StepRunner {
  /** `slots`: the run's concurrency, for a step that starts containers of its own (a sharded phase). */
  run(step: Step, signal: AbortSignal, slots: Slots): Promise<StepOutcome>;
  /** Teardown steps only: whether there is anything to tear down (e.g. the service was started). */
  hasWork(step: Step): boolean;
}

export interface ScheduleOptions {
  readonly concurrency: number;
  readonly failFast: boolean;
  readonly signal: AbortSignal;
  readonly onEvent: EventSink;
  readonly now?: () => number;
  /** With `--keep`, teardown steps are skipped so everything stays up for debugging. */
  readonly keep?: boolean;
}

export interface StepRecord {
  readonly step: Step;
  status: 'pending' | 'running' | StepStatus;
  startedAt?: number;
  finishedAt?: number;
  message?: string;
}

const TEARDOWN: ReadonlySet<StepKind> = new Set(['collect-artifacts', 'stop-service', 'remove-network']);
const LIMITED: ReadonlySet<StepKind> = new Set(['build-image', 'run-phase', 'run-check']);

export const isTeardown = (step: Step): boolean => TEARDOWN.has(step.kind);
/** A sharded phase holds no slot itself: each of its shards takes one (execute/run-shards.ts). */
const isLimited = (step: Step): boolean => LIMITED.has(step.kind) && !(step.kind === 'run-phase' && step.shards);

export async function schedule(graph: StepGraph, runner: StepRunner, options: ScheduleOptions): Promise<StepRecord[]> {
  const now = options.now ?? Date.now;
  const records = new Map<string, StepRecord>(graph.steps.map((step) => [step.id, { step, status: 'pending' }]));
  const stopWork = new AbortController();
  const abortWork = (): void => stopWork.abort();
  options.signal.addEventListener('abort', abortWork, { once: true });
  if (options.signal.aborted) abortWork();
  const workSignal = stopWork.signal;
  const inFlight = new Set<Promise<void>>();
  const slots = new Slots(options.concurrency);
  /** Limited steps whose slot a step of theirs (`slotOf`) took ahead; they start without taking another. */
  const reserved = new Set<string>();
  const heldLocks = new Set<string>();
  const isDone = (id: string): boolean => {
    const status = records.get(id)!.status;
    return status !== 'pending' && status !== 'running';
  };

  const finish = (record: StepRecord, status: StepStatus, message?: string): void => {
    // A slot taken ahead for a step that never started (skipped, cancelled) is given back.
    if (record.startedAt === undefined && reserved.delete(record.step.id)) slots.give();
    record.status = status;
    record.finishedAt = now();
    if (message) record.message = message;
    options.onEvent({
      kind: 'step-finished',
      step: record.step,
      status,
      at: record.finishedAt,
      durationMs: record.startedAt === undefined ? 0 : record.finishedAt - record.startedAt,
      ...(message ? { message } : {}),
    });
  };

  const start = (record: StepRecord): void => {
    const { step } = record;
    // Its slot is taken already: in advance(), or ahead by a step of its (`slotOf`).
    const limited = isLimited(step);
    for (const lock of step.locks ?? []) heldLocks.add(lock);
    record.status = 'running';
    record.startedAt = now();
    options.onEvent({ kind: 'step-started', step, at: record.startedAt });
    const signal = isTeardown(step) ? new AbortController().signal : workSignal;
    const task = Promise.resolve()
      .then(() => runner.run(step, signal, slots))
      .catch(
        (error: unknown): StepOutcome => ({
          status: 'failed',
          message: error instanceof Error ? error.message : String(error),
        }),
      )
      .then((outcome) => {
        if (limited) {
          slots.give();
          reserved.delete(step.id);
        }
        for (const lock of step.locks ?? []) heldLocks.delete(lock);
        const cancelled = outcome.status === 'failed' && workSignal.aborted && !isTeardown(step);
        finish(record, cancelled ? 'cancelled' : outcome.status, outcome.message);
        if (outcome.status === 'failed' && options.failFast && !isTeardown(step)) abortWork();
      })
      .finally(() => inFlight.delete(task));
    inFlight.add(task);
  };

  /** Decides every step that can be decided now; returns whether anything changed. */
  const advance = (): boolean => {
    let changed = false;
    for (const record of records.values()) {
      if (record.status !== 'pending') continue;
      const needs = record.step.needs.map((id) => records.get(id)!);
      if (needs.some((n) => n.status === 'pending' || n.status === 'running')) continue;
      const waitsForOrder = !(record.step.after ?? []).every(isDone);
      if (isTeardown(record.step)) {
        if (options.keep) finish(record, 'skipped', 'kept running (--keep)');
        else if (runner.hasWork(record.step)) start(record);
        else finish(record, 'skipped');
      } else if (workSignal.aborted) {
        finish(record, 'cancelled');
      } else if (needs.some((n) => n.status !== 'passed')) {
        // Name the cause: a step that failed, rather than one skipped because of it.
        const blocker = needs.find((n) => n.status === 'failed') ?? needs.find((n) => n.status !== 'passed')!;
        finish(record, 'skipped', `${blocker.step.id} ${blocker.status}`);
      } else if (waitsForOrder || (record.step.locks ?? []).some((lock) => heldLocks.has(lock))) {
        continue;
      } else if (record.step.slotOf !== undefined && !reserved.has(record.step.slotOf)) {
        if (!slots.tryTake()) continue;
        reserved.add(record.step.slotOf);
        start(record);
      } else if (isLimited(record.step) && !reserved.has(record.step.id) && !slots.tryTake()) {
        continue;
      } else {
        start(record);
      }
      changed = true;
    }
    return changed;
  };

  try {
    for (;;) {
      while (advance());
      if (inFlight.size === 0) break;
      await Promise.race([...inFlight, slots.freed()]);
    }
  } finally {
    options.signal.removeEventListener('abort', abortWork);
  }
  return [...records.values()];
}
