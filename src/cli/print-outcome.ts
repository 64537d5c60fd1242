/** The last lines of `plan run`: the verdict, what decided it, and where the report is. */
import type { RunIdentity } from '../drivers/driver.js';
import type { RunResults } from '../report/results.js';
import type { CommandContext } from './context.js';

const VERDICT = { passed: '✔ PASSED', failed: '✖ FAILED', error: '✖ ERROR', interrupted: '⊘ INTERRUPTED' } as const;

export function printOutcome(ctx: CommandContext, results: RunResults, written: readonly string[], kept?: RunIdentity): void {
  const criteria = results.acceptance;
  const passedCriteria = criteria.filter((c) => c.status === 'pass').length;
  const failedGates = results.gates.filter((g) => g.status !== 'pass');
  const lines = [
    '',
    `${VERDICT[results.verdict]}  ${results.plan.name}  (exit ${results.exitCode})`,
    `  tests: ${results.tests.passed} passed, ${results.tests.failed + results.tests.errored} failed, ${results.tests.skipped} skipped`,
    `  acceptance: ${passedCriteria}/${criteria.length} passed` +
      (criteria.length > passedCriteria ? ` (${criteria.filter((c) => c.status !== 'pass').map((c) => `${c.id} ${c.status}`).join(', ')})` : ''),
    `  gates: ${results.gates.length - failedGates.length}/${results.gates.length} passed` +
      (failedGates.length ? ` (${failedGates.map((g) => `${g.name} ${g.actual} ${g.status}`).join(', ')})` : ''),
  ];
  if (results.message) lines.push(`  ${results.message}`);
  const warnings = results.warnings ?? [];
  lines.push(...warnings.slice(0, 5).map((w) => `  warning: ${w}`));
  if (warnings.length > 5) lines.push(`  … and ${warnings.length - 5} more warnings in results.json`);
  lines.push(...written.map((file) => `  wrote ${ctx.relative(file)}`));
  if (kept) {
    lines.push(`  --keep: containers and the network of run ${kept.runId} are still running.`);
    lines.push(`    see them:    docker ps --filter label=testplan.run=${kept.runId}`);
    lines.push(`    remove them: plan prune --all --plan ${kept.plan}`);
  }
  ctx.stdout(lines.join('\n') + '\n');
}
