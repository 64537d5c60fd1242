/**
 * One JSON object per line on stdout, for other tools: every event of the run as it happens (already
 * redacted), then `{"kind":"run-finished",…}` with the verdict, the exit code and the files written.
 */
import type { ReporterFactory } from './reporter.js';

export const jsonReporter: ReporterFactory = (ctx, start) => ({
  onEvent: (event) => ctx.stdout(`${JSON.stringify(event)}\n`),
  onFinished: ({ results, written }) =>
    ctx.stdout(
      `${JSON.stringify({ kind: 'run-finished', runId: start.run.runId, plan: results.plan.name, verdict: results.verdict, exitCode: results.exitCode, tests: results.tests, written })}\n`,
    ),
});
