import t from 'tap';
import type { ReadyProbeSpec } from '../../../src/dsl/plan.js';
import type { Clock } from '../../../src/drivers/local/clock.js';
import type { ProcessExit } from '../../../src/drivers/local/host-process.js';
import { waitUntilReady, type WaitTarget } from '../../../src/drivers/local/wait-ready.js';

/** A clock whose sleeps pass at once and are recorded; attempts take `attemptMs` of its time. */
function fakeClock(): Clock & { readonly sleeps: number[]; advance: (ms: number) => void } {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    advance: (ms) => (now += ms),
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

function target(clock: ReturnType<typeof fakeClock>, passOn: number, exitAfter?: number): WaitTarget & { calls: number[] } {
  let exit: ProcessExit | undefined;
  const calls: number[] = [];
  return {
    calls,
    exited: new Promise<ProcessExit>(() => undefined),
    exit: () => exit,
    logTail: () => ['a line'],
    attempt: async (timeoutMs) => {
      calls.push(timeoutMs);
      clock.advance(5);
      if (exitAfter !== undefined && calls.length >= exitAfter) exit = { exitCode: 2, signal: null };
      return { ok: calls.length >= passOn, output: `attempt ${calls.length}` };
    },
  };
}

const tcp = (timing: Partial<ReadyProbeSpec> = {}): ReadyProbeSpec =>
  ({ kind: 'tcp', port: 1, intervalMs: 50, timeoutMs: 60_000, ...timing }) as ReadyProbeSpec;
const never = new AbortController().signal;

t.test('polling starts at the interval and doubles up to 500 ms', async (t) => {
  const clock = fakeClock();
  const outcome = await waitUntilReady(tcp(), target(clock, 8), never, clock);
  t.same(clock.sleeps, [50, 100, 200, 400, 500, 500, 500]);
  t.same(outcome, { ready: true, elapsedMs: 2290, probes: 8 });
});

t.test('an interval above 500 ms is kept as it is', async (t) => {
  const clock = fakeClock();
  await waitUntilReady(tcp({ intervalMs: 2000 }), target(clock, 3), never, clock);
  t.same(clock.sleeps, [2000, 2000]);
});

t.test('the timeout ends the wait with the last probe output and the log tail; the last sleep is cut short', async (t) => {
  const clock = fakeClock();
  const tg = target(clock, Infinity);
  const outcome = await waitUntilReady(tcp({ timeoutMs: 1000 }), tg, never, clock);
  t.match(outcome, { ready: false, reason: 'timeout', lastProbeOutput: 'attempt 6', logTail: ['a line'] });
  t.ok(outcome.elapsedMs >= 1000 && outcome.elapsedMs < 1100, `${outcome.elapsedMs}`);
  t.equal(clock.sleeps.at(-1), 1000 - 5 * 5 - 50 - 100 - 200 - 400, 'never sleeps past the deadline');
  t.equal(tg.calls[0], 1000, 'an attempt may use the time that is left');
});

t.test('retries end the wait after that many failed probes', async (t) => {
  const clock = fakeClock();
  const outcome = await waitUntilReady(tcp({ retries: 3 }), target(clock, Infinity), never, clock);
  t.match(outcome, { ready: false, reason: 'retries', probes: 3 });
});

t.test('a process that exits fails the wait at once with its exit code, even if the probe passed', async (t) => {
  const clock = fakeClock();
  const outcome = await waitUntilReady(tcp(), target(clock, 2, 2), never, clock);
  t.match(outcome, { ready: false, reason: 'exited', exitCode: 2, probes: 2 });
});

t.test('an aborted signal ends the wait before the next probe', async (t) => {
  const clock = fakeClock();
  const abort = new AbortController();
  abort.abort();
  const tg = target(clock, Infinity);
  const outcome = await waitUntilReady(tcp(), tg, abort.signal, clock);
  t.match(outcome, { ready: false, reason: 'aborted', probes: 0 });
  t.equal(tg.calls.length, 0);
});
