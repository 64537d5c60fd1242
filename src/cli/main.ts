/** The `plan` command: argv → command; user errors become a message and their exit code. */
import { EXIT, PlanInvalidError, UserError } from '../errors.js';
import { checkCommand } from './commands/check.js';
import { graphCommand } from './commands/graph.js';
import { listCommand } from './commands/list.js';
import { pruneCommand } from './commands/prune.js';
import { reportCommand } from './commands/report.js';
import { runCommand } from './commands/run.js';
import { processContext, type CommandContext } from './context.js';
import { HELP } from './help.js';

type Command = (argv: readonly string[], ctx: CommandContext) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  run: runCommand,
  check: checkCommand,
  graph: graphCommand,
  report: reportCommand,
  list: listCommand,
  prune: pruneCommand,
};

export async function main(argv: readonly string[], ctx: CommandContext): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    ctx.stdout(HELP);
    return name ? EXIT.passed : EXIT.invalid;
  }
  const command = COMMANDS[name];
  if (!command) {
    ctx.stderr(`plan: unknown command '${name}'. Commands: ${Object.keys(COMMANDS).join(', ')}. Run \`plan help\`.\n`);
    return EXIT.invalid;
  }
  try {
    return await command(rest, ctx);
  } catch (error) {
    if (error instanceof PlanInvalidError) {
      ctx.stderr(`✖ the plan is invalid (${error.problems.length} problem${error.problems.length === 1 ? '' : 's'}); nothing was started:\n`);
      for (const line of error.message.split('\n')) ctx.stderr(`  ${line}\n`);
      return error.exitCode;
    }
    if (error instanceof UserError) {
      ctx.stderr(`✖ ${error.message}\n`);
      return error.exitCode;
    }
    ctx.stderr(`✖ internal error — this is a bug in testplan, please report it with the lines below:\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT.infrastructure;
  }
}
