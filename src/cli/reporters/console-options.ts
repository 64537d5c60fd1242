/** What the console reporters share: verbosity, step marks. Phase output shows by default; builds and services only with --verbose. */
export type Verbosity = 'quiet' | 'normal' | 'verbose';

export interface ProgressOptions {
  readonly verbosity: Verbosity;
  readonly write: (text: string) => void;
  readonly now?: () => number;
}

export const MARK = { passed: '✔', failed: '✖', skipped: '○', cancelled: '⊘' } as const;

export const interruptedLine = (event: { readonly signal: string; readonly force: boolean }): string =>
  `testplan: ${event.signal} — ${event.force ? 'forcing cleanup now' : 'stopping, cleaning up (press Ctrl-C again to force)'}\n`;
