import { loadPlanFile } from '../../load/load-plan.js';
import { discoverPlans } from '../../load/discover.js';
import { EXIT, PlanInvalidError } from '../../errors.js';
import { parseCommand } from '../args.js';
import type { CommandContext } from '../context.js';

export async function listCommand(argv: readonly string[], ctx: CommandContext): Promise<number> {
  parseCommand('list', argv);
  const files = await discoverPlans(ctx.cwd);
  if (files.length === 0) ctx.stdout('no plans under plans/ (plans/*.plan.{ts,yaml,yml,js})\n');
  let exit: number = EXIT.passed;
  for (const file of files) {
    try {
      const plan = await loadPlanFile(file);
      ctx.stdout(`${ctx.relative(file)}  ${plan.name}\n`);
      ctx.stdout(`  phases:   ${Object.keys(plan.phases).join(', ')}\n`);
      if (Object.keys(plan.services).length) ctx.stdout(`  services: ${Object.keys(plan.services).join(', ')}\n`);
    } catch (error) {
      if (!(error instanceof PlanInvalidError)) throw error;
      ctx.stdout(`${ctx.relative(file)}  (invalid: run \`plan check ${ctx.relative(file)}\`)\n`);
      exit = EXIT.invalid;
    }
  }
  return exit;
}
