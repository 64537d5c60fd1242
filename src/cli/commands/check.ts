import { loadPlanFile } from '../../load/load-plan.js';
import { EXIT } from '../../errors.js';
import { parseCommandArgs, atMostOne, loadTimeout } from '../args.js';
import type { CommandContext } from '../context.js';
import { choosePlanFile } from '../plan-file.js';

export async function checkCommand(argv: readonly string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs('check', argv, {
    'load-timeout': { type: 'string' }, types: { type: 'boolean', default: false } });
  const file = await choosePlanFile(ctx.cwd, atMostOne('check', positionals));
  const plan = await loadPlanFile(file, loadTimeout(values['load-timeout']));
  if (values.types) {
    const { typeCheckPlan } = await import('../../load/type-check.js');
    const diagnostics = await typeCheckPlan(ctx.relative(file));
    if (diagnostics.length > 0) {
      for (const d of diagnostics) ctx.stderr(`${d.text}\n`);
      return EXIT.invalid;
    }
  }
  const counts = `${Object.keys(plan.phases).length} phase(s), ${Object.keys(plan.services).length} service(s), ${plan.acceptance.length} criteria`;
  ctx.stdout(`✔ ${ctx.relative(file)}: plan ${plan.name} is valid (${counts})${values.types ? ', types check' : ''}\n`);
  return EXIT.passed;
}
