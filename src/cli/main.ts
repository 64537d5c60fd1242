/** The `plan` command: argv → command; user errors become a message and their exit code. */
import { EXIT, PlanInvalidError, UserError } from '../errors.js';
import { processContext, type CommandContext } from './context.js';
import { HELP } from './help.js';

type Command = (argv: readonly string[], ctx: CommandContext) => Promise<number>;

// Loaded on demand: `plan check` must not pay for dockerode, zx or ts-morph.
const COMMANDS: Record<string, () => Promise<Command>> = {
  run: async () => (await import('./commands/run.js')).runCommand,
  check: async () => (await import('./commands/check.js')).checkCommand,
  graph: async () => (await import('./commands/graph.js')).graphCommand,
  report: async () => (await import('./commands/report.js')).reportCommand,
  list: async () => (await import('./commands/list.js')).listCommand,
  prune: async () => (await import('./commands/prune.js')).pruneCommand,
  init: async () => (await import('./commands/init.js')).initCommand,
  import: async () => (await import('./commands/import.js')).importCommand,
  export: async () => (await import('./commands/export.js')).exportCommand,
};

export async function main(argv: readonly string[], ctx: CommandContext): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    ctx.stdout(HELP);
    return name ? EXIT.passed : EXIT.invalid;
  }
  const load = COMMANDS[name];
  if (!load) {
    ctx.stderr(`plan: unknown command '${name}'. Commands: ${Object.keys(COMMANDS).join(', ')}. Run \`plan help\`.\n`);
    return EXIT.invalid;
  }
  try {
    return await (await load())(rest, ctx);
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
