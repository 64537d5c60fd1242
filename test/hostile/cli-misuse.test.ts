/**
 * CLI misuse, in-process: --out at a file, special file systems, unwritable or over-long folders,
 * a folder in use by another run (and a stale lock taken over), bad flags, files that are not plans.
 * `plan run` cases use --driver local and are refused before anything starts.
 */
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assertAnswer, cli, repo, type Expect } from './harness.js';
import { LOCK_FILE, lockOutDir } from '../../src/run/out-dir.js';
import { newRunId } from '../../src/run/run-identity.js';

const PLAN = "name: misuse\nphases:\n  unit: { image: 'node:20', run: 'true', local: { run: 'true' } }\n";

/** A pid that is surely not running: a child that has exited. */
const deadPid = (): number => spawnSync(process.execPath, ['-e', '0']).pid!;

interface Case extends Expect {
  readonly name: string;
  /** Arguments; `PLAN` is the plan file, `DIR` the case's folder. */
  readonly argv: readonly string[];
  readonly setup?: (dir: string) => void;
}

/** A real results.json (fixtures/results/passing.json) for `plan report`. */
const copyResults = (dir: string) =>
  copyFileSync(path.join(repo, 'fixtures', 'results', 'passing.json'), path.join(dir, 'results.json'));

const lock = (dir: string, owner: object) => {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify(owner));
};

const cases: Case[] = [
  {
    name: '--out at a file',
    argv: ['run', '--driver', 'local', '--out', 'DIR/file.txt', 'PLAN'],
    setup: (d) => writeFileSync(path.join(d, 'file.txt'), 'x'),
    code: 2,
    says: [/--out DIR\/file\.txt: is a file, not a folder/],
  },
  {
    name: '--out below a file',
    argv: ['run', '--driver', 'local', '--out', 'DIR/file.txt/sub', 'PLAN'],
    setup: (d) => writeFileSync(path.join(d, 'file.txt'), 'x'),
    code: 2,
    says: [/cannot create the output folder \((ENOTDIR|EEXIST)\)/],
  },
  {
    name: '--out in /proc',
    argv: ['run', '--driver', 'local', '--out', '/proc/testplan-out', 'PLAN'],
    code: 2,
    says: [/--out \/proc\/testplan-out: \/proc is a special file system, not a folder for results/],
  },
  {
    name: '--out /proc/self',
    argv: ['run', '--driver', 'local', '--out', '/proc/self', 'PLAN'],
    code: 2,
    says: [/\/proc is a special file system/],
  },
  {
    name: '--out in /sys',
    argv: ['run', '--driver', 'local', '--out', '/sys/kernel/x', 'PLAN'],
    code: 2,
    says: [/\/sys is a special file system/],
  },
  {
    name: '--out /dev/null',
    argv: ['run', '--driver', 'local', '--out', '/dev/null', 'PLAN'],
    code: 2,
    says: [/\/dev is a special file system/],
  },
  {
    name: '--out through a symlink into /proc',
    argv: ['run', '--driver', 'local', '--out', 'DIR/link/x', 'PLAN'],
    setup: (d) => spawnSync('ln', ['-s', '/proc', path.join(d, 'link')]),
    code: 2,
    says: [/\/proc is a special file system/],
  },
  {
    name: '--out with a 300-character folder name',
    argv: ['run', '--driver', 'local', '--out', `DIR/${'o'.repeat(300)}`, 'PLAN'],
    code: 2,
    says: [/cannot create the output folder \(ENAMETOOLONG\): choose a folder you can write to/],
  },
  {
    name: '--out in use by a live run',
    argv: ['run', '--driver', 'local', '--out', 'DIR/out', 'PLAN'],
    setup: (d) =>
      lock(path.join(d, 'out'), {
        pid: process.pid,
        host: os.hostname(),
        runId: 'other-run-1',
        plan: 'other',
        startedAt: '2026-01-01T00:00:00.000Z',
      }),
    code: 2,
    says: [
      /--out DIR\/out: is in use by run other-run-1 of plan other \(pid \d+ on .*, started 2026-01-01T00:00:00\.000Z\): give this run its own folder with --out/,
    ],
  },
  {
    name: '--out locked by a run on another host is not taken over',
    argv: ['run', '--driver', 'local', '--out', 'DIR/out', 'PLAN'],
    setup: (d) =>
      lock(path.join(d, 'out'), {
        pid: deadPid(),
        host: 'some-other-host',
        runId: 'remote-run',
        plan: 'other',
        startedAt: 'x',
      }),
    code: 2,
    says: [/is in use by run remote-run/],
  },
  {
    name: '--out with a lock being written right now',
    argv: ['run', '--driver', 'local', '--out', 'DIR/out', 'PLAN'],
    setup: (d) => {
      mkdirSync(path.join(d, 'out'));
      writeFileSync(path.join(d, 'out', LOCK_FILE), '');
    },
    code: 2,
    says: [/is in use by another run/],
  },
  {
    name: 'report --out in /proc (used to spin forever)',
    argv: ['report', 'DIR/results.json', '--out', '/proc/testplan-report'],
    setup: copyResults,
    code: 2,
    says: [/--out \/proc\/testplan-report: \/proc is a special file system/],
  },
  {
    name: 'report --out in /sys',
    argv: ['report', 'DIR/results.json', '--out', '/sys/x'],
    setup: copyResults,
    code: 2,
    says: [/\/sys is a special file system/],
  },
  {
    name: 'report --out at a file',
    argv: ['report', 'DIR/results.json', '--out', 'DIR/results.json'],
    setup: copyResults,
    code: 2,
    says: [/is a file, not a folder/],
  },
  {
    name: 'run with a bad --load-timeout',
    argv: ['run', '--driver', 'local', '--load-timeout=-5s', 'PLAN'],
    code: 2,
    says: [/--load-timeout -5s: expected a duration/],
  },
  {
    name: 'graph with --load-timeout 0ms',
    argv: ['graph', '--load-timeout', '0ms', 'PLAN'],
    code: 2,
    says: [/--load-timeout 0ms: expected a duration/],
  },
  {
    name: 'run with an unknown --profile',
    argv: ['run', '--driver', 'local', '--profile', 'nightly', 'PLAN'],
    code: 2,
    says: [/--profile nightly: the plan misuse has no profile 'nightly'/],
  },
  {
    name: 'run with an unknown --phase',
    argv: ['run', '--driver', 'local', '--phase', 'unti', 'PLAN'],
    code: 2,
    says: [/--phase unti: .*Did you mean 'unit'\?/],
  },
  {
    name: 'check with two plan files',
    argv: ['check', 'PLAN', 'PLAN'],
    code: 2,
    says: [/expected at most one plan file/],
  },
  {
    name: 'check a missing file',
    argv: ['check', 'DIR/nope.plan.yaml'],
    code: 2,
    says: [/cannot read the plan file \(ENOENT\): check the path/],
  },
  {
    name: 'check a folder',
    argv: ['check', 'DIR'],
    code: 2,
    says: [/is not a plan file|cannot read the plan file \(EISDIR\)/],
  },
  {
    name: 'check a folder named like a plan',
    argv: ['check', 'DIR/dir.plan.yaml'],
    setup: (d) => mkdirSync(path.join(d, 'dir.plan.yaml')),
    code: 2,
    says: [/cannot read the plan file \(EISDIR\)/],
  },
  {
    name: 'check a file that is no plan',
    argv: ['check', 'DIR/notes.txt'],
    setup: (d) => writeFileSync(path.join(d, 'notes.txt'), 'hi'),
    code: 2,
    says: [/is not a plan file: name it \*\.plan\.ts/],
  },
  {
    name: 'an unknown option',
    argv: ['check', '--frobnicate', 'PLAN'],
    code: 2,
    says: [/Unknown option '--frobnicate'/],
  },
  { name: 'an unknown command', argv: ['destroy'], code: 2, says: [/unknown command 'destroy'/] },
  {
    name: 'run --concurrency 0',
    argv: ['run', '--driver', 'local', '--concurrency', '0', 'PLAN'],
    code: 2,
    says: [/--concurrency 0: expected a whole number of at least 1/],
  },
  {
    name: 'run --driver podman',
    argv: ['run', '--driver', 'podman', 'PLAN'],
    code: 2,
    says: [/--driver podman: expected one of docker, local/],
  },
];

for (const c of cases) {
  t.test(c.name, async (t) => {
    const dir = t.testdir({ 'misuse.plan.yaml': PLAN });
    c.setup?.(dir);
    const argv = c.argv.map((a) => (a === 'PLAN' ? path.join(dir, 'misuse.plan.yaml') : a.replace(/^DIR/, dir)));
    const result = await cli(argv, dir);
    assertAnswer(t, { ...result, stderr: result.stderr.split(dir).join('DIR') }, c);
  });
}

t.test('a lock left by a dead run is taken over, and released when the run ends', async (t) => {
  const dir = t.testdir({});
  lock(dir, { pid: deadPid(), host: os.hostname(), runId: 'killed-run', plan: 'p', startedAt: 'x' });
  const held = lockOutDir(dir, { runId: 'mine', plan: 'p', shown: '--out x' });
  t.match(JSON.parse(readFileSync(path.join(dir, LOCK_FILE), 'utf8')), { pid: process.pid, runId: 'mine', plan: 'p' });
  t.throws(
    () => lockOutDir(dir, { runId: 'second', plan: 'p', shown: '--out x' }),
    /--out x: is in use by run mine of plan p/,
  );
  held.release();
  t.notOk(existsSync(path.join(dir, LOCK_FILE)), 'released');
  lockOutDir(dir, { runId: 'third', plan: 'p', shown: '--out x' }).release();
});

t.test('an unreadable lock older than 10 s is stale and taken over', async (t) => {
  const dir = t.testdir({ [LOCK_FILE]: 'garbage' });
  utimesSync(path.join(dir, LOCK_FILE), new Date(0), new Date(0));
  const held = lockOutDir(dir, { runId: 'mine', plan: 'p', shown: 'x' });
  held.release();
  t.notOk(existsSync(path.join(dir, LOCK_FILE)));
});

t.test('a release never removes a lock another run has taken since', async (t) => {
  const dir = t.testdir({});
  const held = lockOutDir(dir, { runId: 'mine', plan: 'p', shown: 'x' });
  lock(dir, { pid: 1, host: 'h', runId: 'theirs', plan: 'p', startedAt: 'x' });
  held.release();
  t.ok(existsSync(path.join(dir, LOCK_FILE)));
});

t.test('a 5,000-character plan name gives a bounded run id', async (t) => {
  const id = newRunId('n'.repeat(5000), new Date('2026-01-01T00:00:00Z'));
  t.ok(id.length <= 70, `${id.length} characters`);
  t.match(id, /^n+-[0-9a-f]{6}-20260101-000000-[0-9a-f]{6}$/);
  t.not(
    newRunId(`${'n'.repeat(5000)}a`, new Date(0)).split('-')[1],
    id.split('-')[1],
    'names that share a prefix differ in their hash',
  );
});

t.test('a run of a plan with a 5,000-character name writes its folder (local driver)', async (t) => {
  const dir = t.testdir({ 'long.plan.yaml': PLAN.replace('misuse', 'n'.repeat(5000)) });
  const result = await cli(['run', '--driver', 'local', path.join(dir, 'long.plan.yaml')], dir);
  t.not(result.code, 2, result.stderr);
  t.notMatch(`${result.stdout}${result.stderr}`, /ENAMETOOLONG|internal error|^\s{4}at /m);
  t.ok(existsSync(path.join(dir, '.testplan', 'runs')), 'the run folder exists');
});
