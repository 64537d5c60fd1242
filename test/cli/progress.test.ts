import t from 'tap';
import type { Step } from '../../src/compile/graph.js';
import type { RunEvent } from '../../src/execute/events.js';
import type { Verbosity } from '../../src/cli/reporters/console-options.js';
import { fitColumns, liveProgress } from '../../src/cli/reporters/live.js';
import { plainProgress } from '../../src/cli/reporters/plain.js';
import { runLogLine } from '../../src/cli/reporters/run-log.js';

const phaseStep: Step = { id: 'run-phase:unit', kind: 'run-phase', phase: 'unit', needs: [] };
const buildStep: Step = { id: 'build-image:app', kind: 'build-image', image: 'app', needs: [] };
const events: RunEvent[] = [
  { kind: 'run-started', runId: 'r1', plan: 'demo', driver: 'Docker Engine 20.10', at: 0 },
  { kind: 'step-started', step: buildStep, at: 0 },
  {
    kind: 'log',
    source: 'image app',
    step: { kind: 'build-image', subject: 'app' },
    line: 'Step 1/3 : FROM base',
    stream: 'stdout',
  },
  { kind: 'step-finished', step: buildStep, status: 'passed', at: 1500, durationMs: 1500 },
  { kind: 'step-started', step: phaseStep, at: 1500 },
  {
    kind: 'log',
    source: 'unit',
    step: { kind: 'run-phase', subject: 'unit', attempt: 1 },
    line: 'collected 3 items',
    stream: 'stdout',
  },
  { kind: 'phase-attempt', phase: 'unit', attempt: 1, exitCode: 1, timedOut: false },
  {
    kind: 'step-finished',
    step: phaseStep,
    status: 'failed',
    at: 4000,
    durationMs: 2500,
    message: 'exited with code 1',
  },
];

function plain(verbosity: Verbosity): string {
  let out = '';
  const onEvent = plainProgress({ verbosity, write: (s) => (out += s) });
  events.forEach(onEvent);
  return out;
}

t.test('off a TTY: prefixed phase lines and step outcomes; build output only with --verbose', async (t) => {
  const normal = plain('normal');
  t.match(normal, /\[unit\] collected 3 items\n/);
  t.notMatch(normal, /Step 1\/3/);
  t.match(normal, /✖ run-phase:unit failed 2\.5s — exited with code 1\n/);
  t.match(normal, /unit: attempt 1 exited 1\n/);
  t.match(plain('verbose'), /\[image app\] Step 1\/3 : FROM base\n/);
  t.equal(plain('quiet'), '');
});

t.test('on a TTY: a redrawn view of steps with their state and elapsed time', async (t) => {
  let out = '';
  let now = 0;
  const live = liveProgress({
    verbosity: 'normal',
    write: (s) => (out += s),
    columns: () => 120,
    now: () => now,
  });
  live.onEvent(events[1]!);
  live.onEvent(events[4]!);
  live.onEvent(events[5]!);
  now = 3000;
  live.stop();
  t.match(out, /run-phase:unit\s+running\s+1\.5s\s+collected 3 items/);
  out = '';
  live.onEvent(events[7]!);
  live.stop();
  t.match(out, /\x1b\[2A/, 'moves the cursor up over the previous frame');
  t.match(out, /✖ run-phase:unit\s+failed\s+2\.5s\s+exited with code 1/);
});

t.test('on a TTY every step is listed from the start, waiting until it runs', async (t) => {
  let out = '';
  const live = liveProgress({
    verbosity: 'normal',
    write: (s) => (out += s),
    columns: () => 120,
    now: () => 0,
    steps: [buildStep, phaseStep],
  });
  live.stop();
  t.match(out, /· build-image:app\s+waiting/);
  t.match(out, /· run-phase:unit\s+waiting/);
});

t.test('the run log has one timestamped line per event', async (t) => {
  t.equal(runLogLine(events[5]!, 0), '1970-01-01T00:00:00.000Z [unit] collected 3 items\n');
  t.equal(runLogLine(events[7]!, 0), '1970-01-01T00:00:00.000Z failed run-phase:unit 2500ms exited with code 1\n');
});

t.test('the live view counts screen columns: wide characters take two, combining marks none', async (t) => {
  t.equal(fitColumns('日本語テキスト', 6), '日本語');
  t.equal(fitColumns('e\u0301e\u0301e\u0301', 2), 'e\u0301e\u0301');
  t.equal(fitColumns('ok 👍 done', 4), 'ok ');
  let out = '';
  const live = liveProgress({
    verbosity: 'normal',
    write: (s) => (out += s),
    columns: () => 100,
    now: () => 0,
    steps: [phaseStep],
  });
  live.onEvent(events[4]!);
  live.onEvent({
    kind: 'log',
    source: 'unit',
    step: { kind: 'run-phase', subject: 'unit' },
    line: '測試'.repeat(40),
    stream: 'stdout',
  });
  live.stop();
  const last = out
    .split('\n')
    .filter((l) => l.includes('run-phase:unit'))
    .at(-1)!
    .replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
  const { default: stringWidth } = await import('string-width');
  t.ok(stringWidth(last) <= 99 && stringWidth(last) >= 98, `the line fills but fits 99 columns (${stringWidth(last)})`);
  t.ok(last.length < stringWidth(last), 'cut by columns, not by UTF-16 units');
});

t.test('a log line goes to the step its event names: a check and a phase with the same name do not mix', async (t) => {
  let out = '';
  const check: Step = { id: 'run-check:unit', kind: 'run-check', check: 'unit', needs: [] };
  const live = liveProgress({
    verbosity: 'normal',
    write: (s) => (out += s),
    columns: () => 120,
    now: () => 0,
    steps: [phaseStep, check],
  });
  live.onEvent({ kind: 'step-started', step: phaseStep, at: 0 });
  live.onEvent({ kind: 'step-started', step: check, at: 0 });
  live.onEvent({
    kind: 'log',
    source: 'unit',
    step: { kind: 'run-check', subject: 'unit' },
    line: 'from the check',
    stream: 'stdout',
  });
  live.stop();
  t.match(out, /run-check:unit\s+running\s+from the check/);
  t.notMatch(out, /run-phase:unit[^\n]*from the check/);
});
