/**
 * Prepares phases ahead of their step (`Driver.preparePhase`: under Docker, creates the container and,
 * where it can wait at a gate, starts it) as soon as their request can be made — the run network exists,
 * their image is there and each of their services has an address — so that a phase waiting for
 * readiness or for an earlier phase has little left to do. At most `AHEAD` phases are prepared or
 * waiting at once, taken in graph order and prepared side by side: on the run-overhead bench the second
 * phase's container was then ready when the first phase ended (its step 94 ms instead of 219), while the
 * first phase's start moved by less than the services' start did.
 * A preparation that fails is dropped: the phase then prepares itself when it runs and reports the
 * failure there; so is one whose request is not the one the phase runs with. What was prepared and
 * never ran (a failed service, a skipped or cancelled phase) is released by `releaseUnused`.
 */
import type { Driver, PreparedPhase, PrepareOptions, RunPhaseRequest, StepContext } from '../drivers/driver.js';

/** Prepared phases waiting at once: enough for the next phases, few enough not to flood the engine. */
const AHEAD = 2;

export interface AheadRequest {
  readonly req: RunPhaseRequest;
  readonly ctx: StepContext;
  readonly options: PrepareOptions;
}

/** A phase's first-attempt request, or undefined while something it needs is not there yet. */
export type RequestAhead = (phase: string) => Promise<AheadRequest> | undefined;

/** A phase prepared for `req`; undefined when its preparation failed. */
type Preparing = Promise<{ readonly req: RunPhaseRequest; readonly prepared: PreparedPhase } | undefined>;

export class PhasePreparer {
  private readonly waiting = new Map<string, Preparing>();
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
      const preparing: Preparing = request
        .then(async ({ req, ctx, options }) => ({ req, prepared: await this.driver.preparePhase(req, ctx, options) }))
        .catch(() => undefined);
      this.waiting.set(name, preparing);
    }
  }

  /**
   * The phase's prepared first attempt, if it was prepared for `req`; from now on it is the caller's to
   * run or release. One prepared for another request (a service's address changed) is released here.
   */
  async take(name: string, req: RunPhaseRequest): Promise<PreparedPhase | undefined> {
    this.seen.add(name);
    const preparing = this.waiting.get(name);
    this.waiting.delete(name);
    const done = await preparing;
    this.advance();
    if (!done || sameContainer(done.req, req)) return done?.prepared;
    await this.driver.releasePhase(done.prepared.handle);
    return undefined;
  }

  /** Releases whatever was prepared and not taken, and prepares nothing more. */
  async releaseUnused(): Promise<void> {
    this.closed = true;
    const left = [...this.waiting.values()];
    this.waiting.clear();
    const released = await Promise.allSettled(
      left.map(async (preparing) => {
        const done = await preparing;
        if (done) await this.driver.releasePhase(done.prepared.handle);
      }),
    );
    const failed = released.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  }
}

/** Whether two requests make the same container (what a prepared one was made from). */
function sameContainer(a: RunPhaseRequest, b: RunPhaseRequest): boolean {
  const made = (r: RunPhaseRequest) =>
    JSON.stringify([r.image.ref, r.command, r.env, r.workdir, r.mounts, r.sharedNamespace]);
  return made(a) === made(b);
}
