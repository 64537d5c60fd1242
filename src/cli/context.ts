/** What a command may touch: injected so commands run in-process in tests. */
import path from 'node:path';

export interface CommandContext {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly isTTY: boolean;
  readonly columns: () => number;
  readonly relative: (file: string) => string;
  /** Signals that interrupt a run (SIGINT, SIGTERM); a second one forces. */
  readonly onSignal: (handler: (signal: string) => void) => () => void;
  /** Ends the process now (a second Ctrl-C, once cleanup is done). */
  readonly exit: (code: number) => void;
}

export function processContext(): CommandContext {
  const cwd = process.cwd();
  return {
    cwd,
    env: process.env,
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    isTTY: Boolean(process.stdout.isTTY),
    columns: () => process.stdout.columns || 100,
    relative: (file) => path.relative(cwd, file) || file,
    exit: (code) => process.exit(code),
    onSignal: (handler) => {
      const listener = (signal: NodeJS.Signals): void => handler(signal);
      process.on('SIGINT', listener);
      process.on('SIGTERM', listener);
      return () => {
        process.off('SIGINT', listener);
        process.off('SIGTERM', listener);
      };
    },
  };
}
