/** Help text, generated from the command table so that it lists exactly the options the parser accepts. */
import { EXIT } from '../errors.js';
import { COMMANDS, type CommandName, type CommandSpec, type OptionSpec } from './command-table.js';

const EXIT_MEANING: Record<keyof typeof EXIT, string> = {
  passed: 'passed',
  failed: 'verdict failed',
  invalid: 'invalid plan or usage',
  infrastructure: 'infrastructure failure',
  interrupted: 'interrupted',
};

function optionLines(options: Readonly<Record<string, OptionSpec>>): string[] {
  return Object.entries(options).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : ''}--${name}${o.value ? ` ${o.value}` : ''}`;
    return `    ${flag.padEnd(20)} ${o.help}${o.env ? ` (env ${o.env})` : ''}`;
  });
}

const usage = (name: string, spec: CommandSpec): string => `${name}${spec.args ? ` ${spec.args}` : ''}`;

export function generalHelp(): string {
  const commands = Object.entries(COMMANDS).flatMap(([name, spec]: [string, CommandSpec]) => [
    `  ${usage(name, spec).padEnd(16)} ${spec.summary}`,
    ...(spec.usage ?? []).map((line) => `  ${line}`),
    ...optionLines(spec.options),
  ]);
  const exits = (Object.keys(EXIT) as (keyof typeof EXIT)[]).map((k) => `${EXIT[k]} ${EXIT_MEANING[k]}`).join(' · ');
  return [
    'plan — run a typed test plan in real containers and write an honest completion report',
    '',
    'Usage: plan <command> [plan-file] [options]        plan <command> --help: one command   plan --version',
    '',
    'Commands',
    ...commands,
    `  ${'help'.padEnd(16)} this text`,
    '',
    'Without a file, the single plans/*.plan.{ts,yaml,yml,js} is used.',
    `Exit codes: ${exits}`,
    '',
  ].join('\n');
}

export function commandHelp(name: CommandName): string {
  const spec: CommandSpec = COMMANDS[name];
  const options = optionLines(spec.options);
  const more = (spec.usage ?? []).map((line) => `       plan ${line}`);
  return [
    `Usage: plan ${usage(name, spec)}${options.length ? ' [options]' : ''}`,
    ...more,
    '',
    spec.summary,
    ...(options.length ? ['', 'Options', ...options] : []),
    '',
  ].join('\n');
}
