/** Argument parsing shared by the commands; bad usage is a UsageError (exit 2). */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors.js';
import { parseDuration } from '../dsl/duration.js';
import { COMMANDS, type CommandName } from './command-table.js';

export type Options = NonNullable<ParseArgsConfig['options']>;

type CommandConfig<O extends Options> = { args: string[]; options: O; allowPositionals: true; strict: true };
export type ParsedArgs<O extends Options> = ReturnType<typeof parseArgs<CommandConfig<O>>>;

/** Parses `argv` with the options the command table declares for `command` (the same ones its help lists). */
export function parseCommand<N extends CommandName>(
  command: N,
  argv: readonly string[],
): ParsedArgs<(typeof COMMANDS)[N]['options']> {
  const declared: Options = {};
  for (const [name, o] of Object.entries(COMMANDS[command].options as Record<string, Options[string]>)) {
    declared[name] = {
      type: o.type,
      ...(o.multiple ? { multiple: true } : {}),
      ...(o.short ? { short: o.short } : {}),
      ...(o.default !== undefined ? { default: o.default } : {}),
    };
  }
  return parseCommandArgs(command, argv, declared) as ParsedArgs<(typeof COMMANDS)[N]['options']>;
}

/** The parser under parseCommand, for a command with sub-commands whose options differ (declare them in the table too, for help). */
export function parseCommandArgs<O extends Options>(
  command: string,
  argv: readonly string[],
  options: O,
): ParsedArgs<O> {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    const message =
      error instanceof Error ? error.message.replace(/\. To specify a positional argument.*$/, '') : String(error);
    throw new UsageError(`plan ${command}: ${message}. Run \`plan ${command.split(' ')[0]} --help\` for its options.`);
  }
}

export function oneOf<T extends string>(
  flag: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} ${value}: expected one of ${allowed.join(', ')}.`);
}

export function positiveInt(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} ${value}: expected a whole number of at least 1.`);
  return n;
}

export function atMostOne(command: string, positionals: readonly string[]): string | undefined {
  if (positionals.length > 1)
    throw new UsageError(`plan ${command}: expected at most one plan file, got ${positionals.join(' ')}.`);
  return positionals[0];
}

/** `--load-timeout 30s` → `{ loadTimeoutMs }` for loadPlanFile (nothing when the flag is absent). */
export function loadTimeout(value: string | undefined): { loadTimeoutMs?: number } {
  if (value === undefined) return {};
  const ms = parseDuration(value);
  if (ms === undefined || ms < 1)
    throw new UsageError(`--load-timeout ${value}: expected a duration like '10s', '30s' or '2m'.`);
  return { loadTimeoutMs: ms };
}
