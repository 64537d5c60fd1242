/** What the console reporters share: verbosity, which log sources are phase output, step marks. */
export type Verbosity = 'quiet' | 'normal' | 'verbose';

export interface ProgressOptions {
  readonly verbosity: Verbosity;
  /** Sources whose log lines are phase output (shown by default); others (builds, services) only with --verbose. */
  readonly phaseSources: ReadonlySet<string>;
  readonly write: (text: string) => void;
  readonly now?: () => number;
}

export const MARK = { passed: '✔', failed: '✖', skipped: '○', cancelled: '⊘' } as const;

export const interruptedLine = (event: { readonly signal: string; readonly force: boolean }): string =>
  `testplan: ${event.signal} — ${event.force ? 'forcing cleanup now' : 'stopping, cleaning up (press Ctrl-C again to force)'}\n`;
