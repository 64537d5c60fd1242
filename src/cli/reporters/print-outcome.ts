/** The last lines of a run for people: the verdict, what decided it, where the report is, and how to reach what --keep left. */
import type { DriverKind, RunIdentity } from '../../drivers/driver.js';
import type { RunResults } from '../../report/results.js';

const VERDICT = { passed: '✔ PASSED', failed: '✖ FAILED', error: '✖ ERROR', interrupted: '⊘ INTERRUPTED' } as const;

/** What `--keep` left running and how to reach it, per driver: `docker ps` means nothing to host processes. */
const KEEP_HINTS: Record<DriverKind, (run: RunIdentity) => string[]> = {
  docker: (run) => [
    `  --keep: containers and the network of run ${run.runId} are still running.`,
    `    see them:    docker ps --filter label=testplan.run=${run.runId}`,
    `    remove them: plan prune --all --plan ${run.plan}`,
  ],
  swarm: (run) => [
    `  --keep: the Swarm services and the overlay network of run ${run.runId} are still there.`,
    `    see them:    docker service ls --filter label=testplan.run=${run.runId}`,
    `    remove them: plan prune --driver swarm --all --plan ${run.plan}`,
  ],
  local: (run) => [
    `  --keep: under --driver local the services of run ${run.runId} are host processes of plan itself: they end when plan exits.`,
  ],
};

export function outcomeLines(
  results: RunResults,
  written: readonly string[],
  kept?: { readonly run: RunIdentity; readonly driver: DriverKind },
): string[] {
  const criteria = results.acceptance;
  const passedCriteria = criteria.filter((c) => c.status === 'pass').length;
  // The plan's own gates; Testplan's implicit checks (per-phase executed ≥ 1) are not counted as the user's.
  const gates = results.gates.filter((g) => !g.implicit);
  const failedGates = results.gates.filter((g) => g.status !== 'pass' && g.status !== 'not-selected');
  const passedGates = gates.filter((g) => g.status === 'pass').length;
  const notSelected = gates.filter((g) => g.status === 'not-selected').length;
  const notes = [
    ...failedGates.map((g) => `${g.name} ${g.actual} ${g.status}`),
    ...(notSelected > 0 ? [`${notSelected} not selected`] : []),
  ];
  const lines = [
    '',
    `${VERDICT[results.verdict]}  ${results.plan.name}  (exit ${results.exitCode})`,
    `  tests: ${results.tests.passed} passed, ${results.tests.failed + results.tests.errored} failed, ${results.tests.skipped} skipped`,
    `  acceptance: ${passedCriteria}/${criteria.length} passed` +
      (criteria.length > passedCriteria
        ? ` (${criteria
            .filter((c) => c.status !== 'pass')
            .map((c) => `${c.id} ${c.status}`)
            .join(', ')})`
        : ''),
    `  gates: ${passedGates}/${gates.length} passed${notes.length ? ` (${notes.join(', ')})` : ''}`,
  ];
  if (results.message) lines.push(`  ${results.message}`);
  if (results.baseline) lines.push(baselineLine(results.baseline));
  const warnings = results.warnings ?? [];
  lines.push(...warnings.slice(0, 5).map((w) => `  warning: ${w}`));
  if (warnings.length > 5) lines.push(`  … and ${warnings.length - 5} more warnings in results.json`);
  lines.push(...written.map((file) => `  wrote ${file}`));
  if (kept) lines.push(...KEEP_HINTS[kept.driver](kept.run));
  return lines;
}

/** One line of "Since baseline"; the report has the lists. */
function baselineLine(b: NonNullable<RunResults['baseline']>): string {
  const coverage = b.coverage?.lines.delta;
  const parts = [
    `${b.newFailures.count} new failures`,
    `${b.fixed.count} fixed`,
    `${b.added.count} added`,
    `${b.removed.count} removed`,
    ...(b.flaky.retried.length + b.flaky.flippingCount > 0
      ? [`${b.flaky.retried.length + b.flaky.flippingCount} flaky`]
      : []),
    ...(coverage !== undefined && coverage !== null
      ? [`lines ${coverage > 0 ? '+' : ''}${coverage.toFixed(2)} pts`]
      : []),
  ];
  return `  since ${b.runId}: ${parts.join(', ')}`;
}
