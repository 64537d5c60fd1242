import t from 'tap';
import type { ReadyProbeSpec } from '../../../src/dsl/plan.js';
import type { ServiceExit } from '../../../src/drivers/driver.js';
import type { Clock } from '../../../src/drivers/shared/clock.js';
import { waitUntilReady, type ReadinessTarget } from '../../../src/drivers/shared/wait-ready.js';

/**
 * Virtual time: a sleep resolves when everything else has settled and it is the earliest one due;
 * `now` then jumps to its time. Sleeps of `holdFrom` ms or more only end by abort. Sleeps are recorded.
 */
function virtualClock(holdFrom = Infinity): Clock & { readonly sleeps: number[]; advance: (ms: number) => void } {
  let now = 0;
  const sleeps: number[] = [];
  const due: { at: number; resolve: () => void }[] = [];
  let scheduled = false;
  const tick = (): void => {
    scheduled = false;
    due.sort((a, b) => a.at - b.at);
    const next = due.shift();
    if (!next) return;
    now = Math.max(now, next.at);
    next.resolve();
    schedule();
  };
  const schedule = (): void => {
    if (!scheduled && due.length) {
      scheduled = true;
      setImmediate(tick);
    }
  };
  return {
    sleeps,
    now: () => now,
    advance: (ms) => (now += ms),
    sleep: (ms, signal) =>
      new Promise<void>((resolve) => {
        if (signal?.aborted) return resolve();
        sleeps.push(ms);
        const entry = { at: now + ms, resolve };
        if (ms < holdFrom) due.push(entry);
        signal?.addEventListener(
          'abort',
          () => {
            const i = due.indexOf(entry);
            if (i >= 0) due.splice(i, 1);
            resolve();
          },
          { once: true },
        );
        schedule();
      }),
  };
}

interface Fake extends ReadinessTarget {
  readonly calls: number[];
  exit(code: number): void;
}

function target(
  clock: ReturnType<typeof virtualClock>,
  passOn: number,
  opts: { exitOnAttempt?: number; onChange?: ReadinessTarget['onChange'] } = {},
): Fake {
  const calls: number[] = [];
  let exitNow: (e: ServiceExit) => void = () => undefined;
  const exited = new Promise<ServiceExit>((resolve) => (exitNow = resolve));
  return {
    calls,
    exit: (code) => exitNow({ exitCode: code, at: '2026-01-01T00:00:01.000Z' }),
    exited: () => exited,
    logTail: async () => ['a line'],
    attempt: async (_signal, timeoutMs) => {
      calls.push(timeoutMs);
      clock.advance(5);
      if (opts.exitOnAttempt !== undefined && calls.length >= opts.exitOnAttempt)
        exitNow({ exitCode: 2, at: '2026-01-01T00:00:01.000Z' });
      return { ok: calls.length >= passOn, output: `attempt ${calls.length}` };
    },
    ...(opts.onChange ? { onChange: opts.onChange } : {}),
  };
}

const tcp = (timing: Partial<ReadyProbeSpec> = {}): ReadyProbeSpec =>
  ({ kind: 'tcp', port: 1, intervalMs: 50, timeoutMs: 60_000, ...timing }) as ReadyProbeSpec;
const never = new AbortController().signal;
/** The pauses between probes (the timeout's own sleep, the first one taken, is left out). */
const pauses = (clock: ReturnType<typeof virtualClock>): number[] =>
  clock.sleeps.slice(1).map((ms) => Math.round(ms * 100) / 100);

t.test('probes run at the interval for the first second, then back off ×1.5 up to 500 ms', async (t) => {
  const clock = virtualClock();
  const outcome = await waitUntilReady(tcp(), target(clock, 30), never, clock);
  const p = pauses(clock);
  t.same(p.slice(0, 3), [50, 50, 50]);
  const firstSlower = p.findIndex((ms) => ms > 50);
  t.same(p.slice(firstSlower, firstSlower + 4), [75, 112.5, 168.75, 253.13]);
  t.same(p.slice(-2), [500, 500], 'capped at 500 ms');
  t.match(outcome, { ready: true, probes: 30 });
});

t.test('an interval above 500 ms is kept as it is', async (t) => {
  const clock = virtualClock();
  await waitUntilReady(tcp({ intervalMs: 2000 }), target(clock, 3), never, clock);
  t.same(pauses(clock), [2000, 2000]);
});

t.test(
  'the timeout ends the wait with the last probe output and the log tail; an attempt may use the time left',
  async (t) => {
    const clock = virtualClock();
    const tg = target(clock, Infinity);
    const outcome = await waitUntilReady(tcp({ timeoutMs: 1000 }), tg, never, clock);
    t.match(outcome, { ready: false, reason: 'timeout', logTail: ['a line'] });
    t.match(outcome.ready ? '' : outcome.lastProbeOutput, /^attempt \d+$/);
    t.ok(outcome.elapsedMs >= 1000 && outcome.elapsedMs < 1100, `${outcome.elapsedMs}`);
    t.equal(tg.calls[0], 1000);
  },
);

t.test('retries: N gives up after N failed probes; 0 or unset sets no limit', async (t) => {
  const clock = virtualClock();
  t.match(await waitUntilReady(tcp({ retries: 3 }), target(clock, Infinity), never, clock), {
    ready: false,
    reason: 'retries',
    probes: 3,
  });
  const c2 = virtualClock();
  t.match(await waitUntilReady(tcp({ retries: 0, timeoutMs: 10_000 }), target(c2, 30), never, c2), {
    ready: true,
    probes: 30,
  });
  const c3 = virtualClock();
  t.match(await waitUntilReady(tcp({ retries: 0, timeoutMs: 500 }), target(c3, Infinity), never, c3), {
    ready: false,
    reason: 'timeout',
  });
});

t.test('a service that exits fails the wait with its exit code and time, even if the probe passed', async (t) => {
  const clock = virtualClock();
  const outcome = await waitUntilReady(tcp(), target(clock, 2, { exitOnAttempt: 2 }), never, clock);
  t.match(outcome, {
    ready: false,
    reason: 'exited',
    exitCode: 2,
    exitedAt: '2026-01-01T00:00:01.000Z',
    probes: 2,
    logTail: ['a line'],
  });
});

t.test('an exit during a pause ends the wait at once', async (t) => {
  const clock = virtualClock(1_000_000);
  const tg = target(clock, Infinity);
  setTimeout(() => tg.exit(7), 20);
  const outcome = await waitUntilReady(tcp({ intervalMs: 10_000_000, timeoutMs: 100_000_000 }), tg, never, clock);
  t.match(outcome, { ready: false, reason: 'exited', exitCode: 7 });
});

t.test('an abort ends the wait, before the first probe or during a pause', async (t) => {
  const clock = virtualClock();
  const abort = new AbortController();
  abort.abort();
  t.match(await waitUntilReady(tcp(), target(clock, 1), abort.signal, clock), {
    ready: false,
    reason: 'aborted',
    probes: 0,
  });
  const later = new AbortController();
  const held = virtualClock(1_000_000);
  const tg = target(held, Infinity);
  setTimeout(() => later.abort(), 20);
  t.match(await waitUntilReady(tcp({ intervalMs: 10_000_000, timeoutMs: 100_000_000 }), tg, later.signal, held), {
    ready: false,
    reason: 'aborted',
    probes: 1,
  });
});

t.test('output from the service brings the next probe forward, at most one probe per 10 ms', async (t) => {
  // The pause (400 ms) is held: only the change can end it, 10 ms after the first probe started (which took 5).
  const clock = virtualClock(400);
  let changed: () => void = () => undefined;
  const tg = target(clock, 2, {
    onChange: (fn) => {
      changed = fn;
      return () => undefined;
    },
  });
  setTimeout(() => changed(), 20);
  const outcome = await waitUntilReady(tcp({ intervalMs: 400, timeoutMs: 100_000_000 }), tg, never, clock);
  t.match(outcome, { ready: true, probes: 2, elapsedMs: 15 });
});
