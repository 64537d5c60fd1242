/**
 * The run's `--concurrency`: how many containers that run work (builds, phases, shards, checks) may be
 * busy at once. The scheduler takes a slot per limited step without waiting; a sharded phase takes
 * one per shard, queueing; a waiting shard goes before steps the scheduler has not started yet.
 */
export class Slots {
  #used = 0;
  readonly #waiting: (() => void)[] = [];
  #onFree: (() => void)[] = [];

  constructor(readonly limit: number) {}

  /** A slot now, or false (also while shards wait for one: they were first). */
  tryTake(): boolean {
    if (this.#used >= this.limit || this.#waiting.length > 0) return false;
    this.#used++;
    return true;
  }

  /** Resolves with a slot; false if `signal` aborted first (no slot taken). */
  take(signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return Promise.resolve(false);
    if (this.tryTake()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const grant = (): void => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      };
      const onAbort = (): void => {
        const i = this.#waiting.indexOf(grant);
        if (i >= 0) this.#waiting.splice(i, 1);
        resolve(false);
        this.#notifyFree();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiting.push(grant);
    });
  }

  give(): void {
    const next = this.#waiting.shift();
    if (next) {
      next();
      return;
    }
    this.#used--;
    this.#notifyFree();
  }

  /** Resolves when a slot frees that no waiting shard took (the scheduler then looks again). */
  freed(): Promise<void> {
    return new Promise((resolve) => this.#onFree.push(resolve));
  }

  #notifyFree(): void {
    const listeners = this.#onFree;
    this.#onFree = [];
    for (const listener of listeners) listener();
  }
}
