/** `plan init [dir]`: a repository's tests, images and services → plans/<name>.plan.ts. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { EXIT, UsageError } from '../../errors.js';
import { parseCommand } from '../args.js';
import type { CommandContext } from '../context.js';

export async function initCommand(argv: readonly string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseCommand('init', argv);
  if (positionals.length > 1)
    throw new UsageError(`plan init: expected at most one folder, got ${positionals.join(' ')}.`);
  const { initRepository } = await import('../../adopt/init-repo.js');
  const result = initRepository({
    dir: resolve(ctx.cwd, positionals[0] ?? '.'),
    ...(values.base !== undefined ? { base: values.base } : {}),
    ...(values.name !== undefined ? { name: values.name } : {}),
    force: values.force,
    display: ctx.relative,
  });
  ctx.stdout(result.report);
  if (values.count) {
    // A first run of the generated plan counts the tests for gates.tests.minExecuted.
    const { runCommand } = await import('./run.js');
    const { applyFirstCount } = await import('../../adopt/first-count.js');
    const outDir = await mkdtemp(join(tmpdir(), 'testplan-init-count-'));
    const code = await runCommand([result.planFile, '--out', outDir, '--quiet'], ctx);
    const line = applyFirstCount(result.draft, result.planFile, { code, outDir });
    ctx.stdout(line);
    if (line.startsWith('✔')) await rm(outDir, { recursive: true, force: true }); // kept when the count failed: its report says why
  }
  return EXIT.passed;
}
