/** The scheduler's exclusive-service locks and `after` ordering, on a recording fake runner. */
import t from 'tap';
import { GRAPH_VERSION, type Step, type StepGraph } from '../../src/compile/graph.js';
import { schedule, type StepOutcome, type StepRunner } from '../../src/execute/scheduler.js';

const phaseStep = (name: string, extra: Partial<Pick<Step, 'needs' | 'after' | 'locks'>> = {}): Step => ({
  id: `run-phase:${name}`,
  kind: 'run-phase',
  phase: name,
  needs: [],
  ...extra,
});

const graphOf = (steps: Step[]): StepGraph => ({
  version: GRAPH_VERSION,
  plan: 'demo',
  phases: steps.map((s) => s.id),
  services: [],
  instances: [],
  images: [],
  profiles: [],
  selection: { requested: [], pulledIn: [], notRun: [] },
  sharedNamespace: false,
  steps,
});

/** Runs each step for a few ms; records start/end order and the steps running at once. */
function recordingRunner(fail: readonly string[] = []) {
  const order: string[] = [];
  const running = new Set<string>();
  const overlaps: string[][] = [];
  const runner: StepRunner = {
    hasWork: () => true,
    async run(step): Promise<StepOutcome> {
      running.add(step.id);
      if (running.size > 1) overlaps.push([...running].sort());
      order.push(`start ${step.id}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
      order.push(`end ${step.id}`);
      running.delete(step.id);
      return fail.includes(step.id) ? { status: 'failed', message: 'exit 1' } : { status: 'passed' };
    },
  };
  return { runner, order, overlaps };
}

const options = (concurrency = 4, signal = new AbortController().signal) => ({
  concurrency,
  failFast: false,
  signal,
  onEvent: () => {},
});

t.test('phases holding the same exclusive service never overlap; others run alongside', async (t) => {
  const { runner, overlaps } = recordingRunner();
  const records = await schedule(
    graphOf([
      phaseStep('a', { locks: ['redis'] }),
      phaseStep('b', { locks: ['redis'] }),
      phaseStep('c', { locks: ['redis', 'pg'] }),
      phaseStep('d'),
    ]),
    runner,
    options(),
  );
  t.ok(records.every((r) => r.status === 'passed'));
  const lockHolders = ['run-phase:a', 'run-phase:b', 'run-phase:c'];
  for (const set of overlaps)
    t.ok(set.filter((id) => lockHolders.includes(id)).length <= 1, `no two lock holders at once: ${set.join(', ')}`);
  t.ok(
    overlaps.some((set) => set.includes('run-phase:d')),
    'the phase without the lock ran alongside',
  );
});

t.test('a failure of one lock holder skips none of the others', async (t) => {
  const { runner } = recordingRunner(['run-phase:a']);
  const records = await schedule(
    graphOf([phaseStep('a', { locks: ['redis'] }), phaseStep('b', { locks: ['redis'] })]),
    runner,
    options(),
  );
  const status = Object.fromEntries(records.map((r) => [r.step.id, r.status]));
  t.same(status, { 'run-phase:a': 'failed', 'run-phase:b': 'passed' });
});

t.test('the same plan without locks overlaps (the lock is what serialises)', async (t) => {
  const { runner, overlaps } = recordingRunner();
  await schedule(graphOf([phaseStep('a'), phaseStep('b')]), runner, options());
  t.ok(overlaps.length > 0);
});

t.test('after: runs once the earlier phase finished, whatever its state', async (t) => {
  const { runner, order } = recordingRunner(['run-phase:a']);
  const records = await schedule(
    graphOf([phaseStep('a'), phaseStep('b', { after: ['run-phase:a'] })]),
    runner,
    options(),
  );
  const status = Object.fromEntries(records.map((r) => [r.step.id, r.status]));
  t.same(status, { 'run-phase:a': 'failed', 'run-phase:b': 'passed' }, 'a failed earlier phase does not skip it');
  t.same(order, ['start run-phase:a', 'end run-phase:a', 'start run-phase:b', 'end run-phase:b']);
});

t.test('after: a skipped earlier phase counts as finished', async (t) => {
  const { runner, order } = recordingRunner(['run-phase:x']);
  const records = await schedule(
    graphOf([phaseStep('x'), phaseStep('a', { needs: ['run-phase:x'] }), phaseStep('b', { after: ['run-phase:a'] })]),
    runner,
    options(),
  );
  const status = Object.fromEntries(records.map((r) => [r.step.id, r.status]));
  t.same(status, { 'run-phase:x': 'failed', 'run-phase:a': 'skipped', 'run-phase:b': 'passed' });
  t.ok(order.indexOf('start run-phase:b') > order.indexOf('end run-phase:x'));
});

t.test('after: a cancelled run does not start the later phase', async (t) => {
  const abort = new AbortController();
  const runner: StepRunner = {
    hasWork: () => true,
    async run(step, signal) {
      if (step.id === 'run-phase:a') {
        abort.abort();
        await new Promise((resolve) => setTimeout(resolve, 5));
        return signal.aborted ? { status: 'failed', message: 'cancelled' } : { status: 'passed' };
      }
      return { status: 'passed' };
    },
  };
  const records = await schedule(
    graphOf([phaseStep('a'), phaseStep('b', { after: ['run-phase:a'] })]),
    runner,
    options(4, abort.signal),
  );
  const status = Object.fromEntries(records.map((r) => [r.step.id, r.status]));
  t.same(status, { 'run-phase:a': 'cancelled', 'run-phase:b': 'cancelled' });
});

t.test('a skipped step names the step that failed, not one skipped because of it', async (t) => {
  const { runner } = recordingRunner(['run-phase:x']);
  const records = await schedule(
    graphOf([
      phaseStep('x'),
      { id: 'start-service:db (for a)', kind: 'start-service', service: 'db', forPhase: 'a', needs: ['run-phase:x'] },
      phaseStep('a', { needs: ['start-service:db (for a)', 'run-phase:x'] }),
    ]),
    runner,
    options(),
  );
  t.equal(records.find((r) => r.step.id === 'run-phase:a')!.message, 'run-phase:x failed');
});

const instanceStart = (service: string, phase: string, extra: Partial<Pick<Step, 'needs'>> = {}): Step => ({
  id: `start-service:${service} (for ${phase})`,
  kind: 'start-service',
  service,
  forPhase: phase,
  needs: [],
  slotOf: `run-phase:${phase}`,
  ...extra,
});

t.test("a phase's own instances take its concurrency slot: with 1, the next phase's instance waits", async (t) => {
  const { runner, order } = recordingRunner();
  const records = await schedule(
    graphOf([
      instanceStart('db', 'a'),
      instanceStart('cache', 'a'),
      instanceStart('db', 'b'),
      phaseStep('a', { needs: ['start-service:db (for a)', 'start-service:cache (for a)'] }),
      phaseStep('b', { needs: ['start-service:db (for b)'] }),
    ]),
    runner,
    options(1),
  );
  t.ok(records.every((r) => r.status === 'passed'));
  t.ok(order.indexOf('start start-service:cache (for a)') >= 0, "both of a's instances started on a's slot");
  t.ok(
    order.indexOf('start start-service:db (for b)') > order.indexOf('end run-phase:a'),
    "b's instance waited until a finished",
  );
});

t.test('a slot taken for a phase that is then skipped is given back', async (t) => {
  const { runner } = recordingRunner(['start-service:db (for a)']);
  const records = await schedule(
    graphOf([
      instanceStart('db', 'a'),
      instanceStart('db', 'b'),
      phaseStep('a', { needs: ['start-service:db (for a)'] }),
      phaseStep('b', { needs: ['start-service:db (for b)'] }),
    ]),
    runner,
    options(1),
  );
  const status = Object.fromEntries(records.map((r) => [r.step.id, r.status]));
  t.same(status, {
    'start-service:db (for a)': 'failed',
    'start-service:db (for b)': 'passed',
    'run-phase:a': 'skipped',
    'run-phase:b': 'passed',
  });
});
