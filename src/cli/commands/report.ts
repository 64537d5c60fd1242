import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EXIT, UsageError } from '../../errors.js';
import { renderComparison } from '../../report/compare/render-comparison.js';
import { readResults } from '../../report/read-results.js';
import { writeReports } from '../../report/write-reports.js';
import { readStoredResults } from '../../run/baseline.js';
import { prepareOutDir } from '../../run/out-dir.js';
import { parseCommand } from '../args.js';
import { printWorkflowCommands } from '../reporters/github-reporter.js';
import type { CommandContext } from '../context.js';

export async function reportCommand(argv: readonly string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseCommand('report', argv);
  if (values.compare) return compareCommand(positionals, values.out, ctx);
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

/** `plan report --compare BASE CURRENT`: the "Since baseline" comparison of any two runs. */
async function compareCommand(
  positionals: readonly string[],
  out: string | undefined,
  ctx: CommandContext,
): Promise<number> {
  if (positionals.length !== 2)
    throw new UsageError(
      'plan report --compare: expected two results.json files, the baseline first, e.g. `plan report --compare .testplan/runs/<old>/results.json .testplan/runs/<new>/results.json`.',
    );
  // Unreadable, huge, truncated or foreign files: a UsageError naming the file (exit 2).
  const [base, current] = await Promise.all(
    positionals.map(async (p) => {
      const read = await readStoredResults(path.resolve(ctx.cwd, p));
      if ('problem' in read) throw new UsageError(`plan report --compare: ${read.problem}`);
      return read.results;
    }),
  );
  const markdown = renderComparison(current!, base!, `plan report --compare ${positionals[0]}`);
  if (out === undefined) ctx.stdout(markdown);
  else {
    const file = path.resolve(ctx.cwd, out);
    try {
      await writeFile(file, markdown, 'utf8');
    } catch (error) {
      throw new UsageError(
        `--out ${out}: cannot write it (${(error as NodeJS.ErrnoException).code ?? error}): choose a file you can write`,
      );
    }
    ctx.stdout(`wrote ${ctx.relative(file)}\n`);
  }
  return EXIT.passed;
}
