/** `plan export compose|github-actions [plan] [--out FILE]`: the plan in another tool's format, on stdout or into a file. */
import { resolve } from 'node:path';
import { EXIT, UsageError } from '../../errors.js';
import { parseCommand } from '../args.js';
import type { CommandContext } from '../context.js';
import { choosePlanFile } from '../plan-file.js';

const TARGETS = ['compose', 'github-actions'] as const;

export async function exportCommand(argv: readonly string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseCommand('export', argv);
  const [target, planArg, ...extra] = positionals;
  if (!target || !(TARGETS as readonly string[]).includes(target) || extra.length > 0) {
    throw new UsageError('plan export: expected `plan export compose [plan]` or `plan export github-actions [plan]`.');
  }
  const file = await choosePlanFile(ctx.cwd, planArg);
  const { exportPlan } = await import('../../adopt/export-plan.js');
  const result = await exportPlan({
    target: target as (typeof TARGETS)[number],
    file,
    cwd: ctx.cwd,
    ...(values.out !== undefined ? { out: resolve(ctx.cwd, values.out) } : {}),
    force: values.force,
    display: ctx.relative,
  });
  if (values.out === undefined) ctx.stdout(result.text);
  else
    ctx.stderr(
      `✔ wrote ${ctx.relative(resolve(ctx.cwd, values.out))}${result.warnings.length > 0 ? ` (${result.warnings.length} note(s) in its header)` : ''}\n`,
    );
  for (const w of result.warnings) ctx.stderr(`  ! ${w}\n`);
  return EXIT.passed;
}
