/**
 * Prepares phases ahead of their step (`Driver.preparePhase`: under Docker, creates and attaches the
 * container) as soon as their request can be made — the run network exists, their image is there and
 * each of their services has a handle — so that a phase waiting for readiness or for an earlier phase
 * only has to start. At most `AHEAD` prepared phases wait at once. A preparation that fails is dropped:
 * the phase then prepares itself when it runs and reports the failure there. What was prepared and
 * never ran (a failed service, a skipped or cancelled phase) is released by `releaseUnused`.
 */
import type { Driver, PreparedPhase, RunPhaseRequest, StepContext } from '../drivers/driver.js';

/** Prepared phases waiting at once: enough for the next phases, few enough not to flood the engine. */
const AHEAD = 2;

export interface AheadRequest {
  readonly req: RunPhaseRequest;
  readonly ctx: StepContext;
}

/** A phase's first-attempt request, or undefined while something it needs is not there yet. */
export type RequestAhead = (phase: string) => Promise<AheadRequest> | undefined;

export class PhasePreparer {
  private readonly waiting = new Map<string, Promise<PreparedPhase | undefined>>();
  /** Phases prepared or taken already: each is prepared at most once. */
  private readonly seen = new Set<string>();
  private closed = false;

  constructor(
    private readonly driver: Driver,
    /** The run's phases, in graph order. */
    private readonly phases: readonly string[],
    private readonly requestAhead: RequestAhead,
  ) {}

  /** Starts preparing every phase that can be now (call whenever a network, image or service appeared). */
  advance(): void {
    for (const name of this.phases) {
      if (this.closed || this.waiting.size >= AHEAD) return;
      if (this.seen.has(name)) continue;
      const request = this.requestAhead(name);
      if (!request) continue;
      this.seen.add(name);
      this.waiting.set(
        name,
        request.then(({ req, ctx }) => this.driver.preparePhase(req, ctx)).catch(() => undefined),
      );
    }
  }

  /** The phase's prepared first attempt, if any; from now on it is the caller's to run or release. */
  async take(name: string): Promise<PreparedPhase | undefined> {
    this.seen.add(name);
    const preparing = this.waiting.get(name);
    this.waiting.delete(name);
    const prepared = await preparing;
    this.advance();
    return prepared;
  }

  /** Releases whatever was prepared and not taken, and prepares nothing more. */
  async releaseUnused(): Promise<void> {
    this.closed = true;
    const left = [...this.waiting.values()];
    this.waiting.clear();
    const released = await Promise.allSettled(
      left.map(async (preparing) => {
        const prepared = await preparing;
        if (prepared) await this.driver.releasePhase(prepared.handle);
      }),
    );
    const failed = released.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  }
}
