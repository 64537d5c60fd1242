/** `plan init [dir]`: a repository's tests, images and services → plans/<name>.plan.ts. */
import { resolve } from 'node:path';
import { EXIT, UsageError } from '../../errors.js';
import { parseCommand } from '../args.js';
import type { CommandContext } from '../context.js';

export async function initCommand(argv: readonly string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseCommand('init', argv);
  if (positionals.length > 1) throw new UsageError(`plan init: expected at most one folder, got ${positionals.join(' ')}.`);
  const { initRepository } = await import('../../adopt/init-repo.js');
  const result = initRepository({
    dir: resolve(ctx.cwd, positionals[0] ?? '.'),
    ...(values.base !== undefined ? { base: values.base } : {}),
    ...(values.name !== undefined ? { name: values.name } : {}),
    force: values.force,
    display: ctx.relative,
  });
  ctx.stdout(result.report);
  return EXIT.passed;
}
