/** What a run needs at its end loads once the engine works on a container step, or on first use. */
import t from 'tap';
import type { Step } from '../../src/compile/graph.js';
import type { RunEvent } from '../../src/execute/events.js';
import { loadLater } from '../../src/run/load-later.js';

const started = (step: Step): RunEvent => ({ kind: 'step-started', step, at: 0 });
const build: Step = { id: 'build-image:app', kind: 'build-image', image: 'app', needs: [] };
const network: Step = { id: 'create-network', kind: 'create-network', needs: [] };

t.test('loads when the first container step starts, not on an image build, and once', async (t) => {
  let loads = 0;
  const later = loadLater(async () => ++loads);
  later.onEvent(started(build));
  later.onEvent({ kind: 'run-started', runId: 'r', plan: 'p', driver: 'docker', at: 0 });
  t.equal(loads, 0, 'an image build or the run starting loads nothing');
  later.onEvent(started(network));
  later.onEvent(started(network));
  t.equal(loads, 1, 'the first container step loads it');
  t.equal(await later.get(), 1);
  t.equal(loads, 1, 'get() uses what was loaded');
});

t.test('without a container step (everything cached), get() loads it', async (t) => {
  let loads = 0;
  const later = loadLater(async () => ++loads);
  t.equal(await later.get(), 1);
  t.equal(loads, 1);
});

t.test('a failed load is thrown by get(), never an unhandled rejection', async (t) => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  t.teardown(() => process.off('unhandledRejection', onUnhandled));
  const later = loadLater(() => Promise.reject(new Error('no such module')));
  later.onEvent(started(network));
  await new Promise((resolve) => setTimeout(resolve, 10));
  t.same(unhandled, []);
  await t.rejects(later.get(), /no such module/);
});
