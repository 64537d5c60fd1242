/** `plan` run in-process with captured output: the one way tests call the CLI without spawning it. */
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import type { CommandContext } from '../../src/cli/context.js';
import { tempDir } from './temp-dir.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function cli(argv: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const ctx: CommandContext = {
    cwd,
    // Never the user's own phase cache: a fresh one per call unless the test names one.
    env: { TESTPLAN_CACHE_DIR: tempDir('phase-cache'), ...env },
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    isTTY: false,
    columns: () => 100,
    relative: (f) => path.relative(cwd, f) || f,
    onSignal: () => () => {},
    exit: (code) => {
      throw new Error(`the CLI asked to exit the process with ${code} in-process`);
    },
  };
  const code = await main(argv, ctx);
  return { code, stdout, stderr };
}
