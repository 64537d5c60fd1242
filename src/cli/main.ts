/** The `plan` command: argv → command; user errors become a message and their exit code. */
import { EXIT, PlanInvalidError, UserError } from '../errors.js';
import type { CommandContext } from './context.js';
import { COMMANDS, isCommand } from './command-table.js';
import { commandHelp, generalHelp } from './help.js';

const wantsHelp = (arg: string): boolean => arg === '--help' || arg === '-h';

export async function main(argv: readonly string[], ctx: CommandContext): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v') {
    ctx.stdout(`plan ${(await import('./version.js')).ownVersion()}\n`);
    return EXIT.passed;
  }
  if (!name || name === 'help' || wantsHelp(name)) {
    const topic = rest[0];
    ctx.stdout(name === 'help' && topic !== undefined && isCommand(topic) ? commandHelp(topic) : generalHelp());
    return name ? EXIT.passed : EXIT.invalid;
  }
  if (!isCommand(name)) {
    ctx.stderr(`plan: unknown command '${name}'. Commands: ${Object.keys(COMMANDS).join(', ')}. Run \`plan help\`.\n`);
    return EXIT.invalid;
  }
  // Help before anything else: `plan run --help` must not start a run. Only flags before `--` count.
  const flags = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (flags.some(wantsHelp)) {
    ctx.stdout(commandHelp(name));
    return EXIT.passed;
  }
  try {
    return await (await COMMANDS[name].load())(rest, ctx);
  } catch (error) {
    if (error instanceof PlanInvalidError) {
      ctx.stderr(
        `✖ the plan is invalid (${error.problems.length} problem${error.problems.length === 1 ? '' : 's'}); nothing was started:\n`,
      );
      for (const line of error.message.split('\n')) ctx.stderr(`  ${line}\n`);
      return error.exitCode;
    }
    if (error instanceof UserError) {
      ctx.stderr(`✖ ${error.message}\n`);
      return error.exitCode;
    }
    ctx.stderr(
      `✖ internal error — this is a bug in testplan, please report it with the lines below:\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return EXIT.infrastructure;
  }
}
