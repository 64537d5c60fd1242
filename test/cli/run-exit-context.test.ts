/** A second Ctrl-C ends the process through the injected context (exit 130), never past it. */
import t from 'tap';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CommandContext } from '../../src/cli/context.js';
import { main } from '../../src/cli/main.js';
import { tempDir } from '../helpers/temp-dir.js';

t.test('the second signal cleans up and calls ctx.exit(130); the first one stops the run with exit 130', async (t) => {
  const dir = tempDir('exit-ctx');
  const file = path.join(dir, 'slow.plan.yaml');
  writeFileSync(
    file,
    JSON.stringify({
      name: 'exit-ctx',
      phases: { slow: { image: 'alpine:3', run: 'true', local: { run: 'echo started; sleep 20' } } },
    }),
  );
  let handler: ((signal: string) => void) | undefined;
  const exits: number[] = [];
  let stderr = '';
  let resolveStarted: () => void = () => undefined;
  const started = new Promise<void>((r) => (resolveStarted = r));
  let exited: () => void = () => undefined;
  const exitCalled = new Promise<void>((r) => (exited = r));
  const ctx: CommandContext = {
    cwd: dir,
    env: {},
    stdout: () => undefined,
    stderr: (s) => {
      stderr += s;
      if (stderr.includes('[slow] started')) resolveStarted();
    },
    isTTY: false,
    columns: () => 100,
    relative: (f) => path.relative(dir, f),
    onSignal: (h) => {
      handler = h;
      return () => (handler = undefined);
    },
    exit: (code) => {
      exits.push(code);
      exited();
    },
  };
  const code = main(['run', file, '--driver', 'local', '--out', path.join(dir, 'out')], ctx);
  await started;
  handler!('SIGINT');
  handler!('SIGINT');
  await exitCalled;
  t.same(exits, [130], 'ctx.exit(130), not process.exit');
  t.equal(await code, 130);
  t.match(stderr, 'SIGINT — forcing cleanup now');
});
