import path from 'node:path';
import { EXIT, UsageError } from '../../errors.js';
import { readResults } from '../../report/read-results.js';
import { writeReports } from '../../report/write-reports.js';
import { prepareOutDir } from '../../run/out-dir.js';
import { parseCommand } from '../args.js';
import { printWorkflowCommands } from '../reporters/github-reporter.js';
import type { CommandContext } from '../context.js';

export async function reportCommand(argv: readonly string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseCommand('report', argv);
  if (positionals.length !== 1)
    throw new UsageError(
      'plan report: expected one results.json, e.g. `plan report .testplan/runs/<run>/results.json`.',
    );
  const file = path.resolve(ctx.cwd, positionals[0]!);
  const results = await readResults(file);
  const outDir = values.out ? path.resolve(ctx.cwd, values.out) : path.dirname(file);
  prepareOutDir(outDir, values.out ? `--out ${values.out}` : ctx.relative(outDir));
  const written = await writeReports(results, outDir, ctx.env);
  for (const f of Object.values(written)) ctx.stdout(`wrote ${ctx.relative(f)}\n`);
  if (ctx.env.GITHUB_ACTIONS === 'true') printWorkflowCommands(ctx, results);
  return EXIT.passed;
}
