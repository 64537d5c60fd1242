/** `plan import compose FILE` / `plan import github-actions FILE [--job NAME]`: an existing setup → a typed plan. */
import { resolve } from 'node:path';
import { EXIT, UsageError } from '../../errors.js';
import { parseCommand } from '../args.js';
import type { CommandContext } from '../context.js';

const SOURCES = ['compose', 'github-actions'] as const;

export async function importCommand(argv: readonly string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseCommand('import', argv);
  const [source, input, ...extra] = positionals;
  if (!source || !(SOURCES as readonly string[]).includes(source) || !input || extra.length > 0) {
    throw new UsageError(
      `plan import: expected \`plan import compose FILE\` or \`plan import github-actions FILE [--job NAME]\`.`,
    );
  }
  if (values.job !== undefined && source !== 'github-actions')
    throw new UsageError('plan import: --job is for github-actions workflows.');
  const { importInput } = await import('../../adopt/import-input.js');
  const result = importInput({
    source: source as (typeof SOURCES)[number],
    file: resolve(ctx.cwd, input),
    cwd: ctx.cwd,
    ...(values.out !== undefined ? { out: resolve(ctx.cwd, values.out) } : {}),
    ...(values.job !== undefined ? { job: values.job } : {}),
    ...(values.name !== undefined ? { name: values.name } : {}),
    force: values.force,
    display: ctx.relative,
  });
  ctx.stdout(result.report);
  return EXIT.passed;
}
