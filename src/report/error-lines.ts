/**
 * Lines of a runner's output that look like its own errors: what a reader needs when a phase exits
 * non-zero with no failing test (a coverage threshold, a crash after the tests), instead of its last
 * 200 lines.
 */

const ERROR_LINE =
  /\b(?:Error|ERROR|FAIL(?:ED)?|Fatal|FATAL|panic|Traceback|Unhandled|Uncaught)\b|\berror(?:\[\w+\])?:|✖|✗|×|\bthreshold\b|does not meet|not met|below (?:the )?(?:global )?threshold|exited with code [1-9]|npm ERR!|ELIFECYCLE/;

/** How many error lines a report quotes; the whole log tail stays in results.json. */
export const MAX_ERROR_LINES = 20;

export function runnerErrorLines(lines: readonly string[]): string[] {
  const found = lines.filter((line) => ERROR_LINE.test(line));
  return found.length > MAX_ERROR_LINES ? [...found.slice(0, MAX_ERROR_LINES), `… and ${found.length - MAX_ERROR_LINES} more error lines in results.json`] : found;
}
