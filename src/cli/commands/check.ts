import { loadPlanFile } from '../../load/load-plan.js';
import { EXIT, PlanInvalidError } from '../../errors.js';
import { secretWarnings } from '../../dsl/secret-warnings.js';
import { setupWarnings } from '../../dsl/setup-warnings.js';
import { sharingWarnings } from '../../compile/sharing-warnings.js';
import type { TestPlan } from '../../dsl/plan.js';
import { parseCommand, atMostOne, loadTimeout } from '../args.js';
import type { CommandContext } from '../context.js';
import { choosePlanFile } from '../plan-file.js';

const TYPESCRIPT = /\.(ts|mts)$/;

export async function checkCommand(argv: readonly string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseCommand('check', argv);
  const file = await choosePlanFile(ctx.cwd, atMostOne('check', positionals));
  const typed = values.types && TYPESCRIPT.test(file);
  if (values.types && !typed)
    ctx.stderr(
      `note: --types applies to TypeScript plans (.plan.ts) only; ${ctx.relative(file)} is checked against the plan schema\n`,
    );
  // With --types, schema problems and type errors are shown together: one does not hide the other.
  const [loaded, diagnostics] = await Promise.all([
    loadPlanFile(file, loadTimeout(values['load-timeout'])).then(
      (plan): TestPlan | PlanInvalidError => plan,
      (error: unknown) => {
        if (typed && error instanceof PlanInvalidError) return error;
        throw error;
      },
    ),
    typed ? import('../../load/type-check.js').then(({ typeCheckPlan }) => typeCheckPlan(file, { cwd: ctx.cwd })) : [],
  ]);
  if (diagnostics.length > 0) {
    ctx.stderr(`✖ ${ctx.relative(file)} has ${diagnostics.length} type error(s):\n`);
    for (const d of diagnostics) ctx.stderr(`  ${d.text}\n`);
  }
  if (loaded instanceof PlanInvalidError) throw loaded;
  if (diagnostics.length > 0) return EXIT.invalid;
  for (const w of [
    ...secretWarnings(loaded),
    ...setupWarnings(loaded),
    ...sharingWarnings(loaded, undefined, loaded.concurrency),
  ])
    ctx.stderr(`warning: ${ctx.relative(file)}: ${w.path}: ${w.message}\n`);
  const counts = `${Object.keys(loaded.phases).length} phase(s), ${Object.keys(loaded.services).length} service(s), ${loaded.acceptance.length} criteria`;
  ctx.stdout(`✔ ${ctx.relative(file)}: plan ${loaded.name} is valid (${counts})${typed ? ', types check' : ''}\n`);
  return EXIT.passed;
}
