/**
 * Lines of a runner's output that look like its own errors: what a reader needs when a phase exits
 * non-zero with no failing test (a coverage threshold, a crash after the tests), instead of its last
 * 200 lines. Collected from the whole output as it streams, so an error long before the tail counts.
 */

const ERROR_LINE =
  /\b(?:Error|ERROR|FAIL(?:ED)?|Fatal|FATAL|panic|Traceback|Unhandled|Uncaught)\b|\berror(?:\[\w+\])?:|✖|✗|×|\bthreshold\b|does not meet|not met|below (?:the )?(?:global )?threshold|exited with code [1-9]|npm ERR!|ELIFECYCLE/;

/** How many error lines are kept and quoted; the count of the rest is said. */
export const MAX_ERROR_LINES = 20;

export function isErrorLine(line: string): boolean {
  return ERROR_LINE.test(line);
}

/** The first MAX_ERROR_LINES error-looking lines of a stream, and how many more there were. */
export class ErrorLines {
  private readonly kept: string[] = [];
  private more = 0;

  add(line: string): void {
    if (!isErrorLine(line)) return;
    if (this.kept.length < MAX_ERROR_LINES) this.kept.push(line);
    else this.more++;
  }

  lines(): string[] {
    return this.more > 0 ? [...this.kept, `… and ${this.more} more error lines`] : [...this.kept];
  }
}

export function runnerErrorLines(lines: readonly string[]): string[] {
  const collector = new ErrorLines();
  for (const line of lines) collector.add(line);
  return collector.lines();
}
