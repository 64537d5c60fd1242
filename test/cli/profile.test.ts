import t from 'tap';
import { createProfile } from '../../src/cli/profile.js';
import type { Step } from '../../src/compile/graph.js';

const step: Step = { id: 'create-network', kind: 'create-network', needs: [] };

t.test('TESTPLAN_PROFILE=1: milestones and step edges go to the writer, in ms since the process started', async (t) => {
  const out: string[] = [];
  const profile = createProfile({ TESTPLAN_PROFILE: '1' }, (text) => out.push(text));
  profile.mark('plan loaded');
  profile.onEvent({ kind: 'step-started', step, at: Date.now() });
  profile.onEvent({ kind: 'step-finished', step, status: 'passed', at: Date.now(), durationMs: 12 });
  profile.onEvent({ kind: 'log', source: 'x', line: 'not a timing', stream: 'stdout' });
  profile.settled(Promise.reject(new Error('failed work is still marked')), 'engine answered');
  await new Promise((resolve) => setImmediate(resolve));
  t.equal(out.length, 4);
  t.match(out[0], /^\[profile\] +\d+\.\d ms {2}plan loaded\n$/);
  t.match(out[1], /start {2}create-network/);
  t.match(out[2], /end {4}create-network \(passed, 12 ms\)/);
  t.match(out[3], /engine answered/);
});

t.test('without TESTPLAN_PROFILE nothing is written', async (t) => {
  const out: string[] = [];
  const profile = createProfile({}, (text) => out.push(text));
  profile.mark('plan loaded');
  profile.settled(Promise.resolve(), 'driver loaded');
  profile.onEvent({ kind: 'step-started', step, at: Date.now() });
  await new Promise((resolve) => setImmediate(resolve));
  t.same(out, []);
});
