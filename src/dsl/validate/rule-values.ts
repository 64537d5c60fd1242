/** Rules on values the schema cannot judge: empty plans, port clashes, unset secrets, regexes. */
import type { RuleContext } from './context.js';
import type { Path } from './problems.js';
import { commandChecks } from './rule-references.js';
import { entriesOf, field, isObject, itemsOf, keysOf, stringField } from './view.js';

export const PRESET_PORTS = { postgres: 5432, redis: 6379 } as const satisfies Readonly<Record<string, number>>;

export function checkNotEmpty(ctx: RuleContext): void {
  const phases = field(ctx.plan, 'phases');
  if (isObject(phases) && keysOf(phases).length === 0) {
    ctx.report(['phases'], "the plan has no phases: add at least one, e.g. unit: { image: 'node:20', run: 'npm test' }");
  }
}

/** Container ports a service listens on: its `ports` plus its preset probe's port. */
export function servicePorts(service: unknown): number[] {
  const ports = itemsOf(field(service, 'ports')).filter((p): p is number => typeof p === 'number');
  const ready = field(service, 'ready');
  const preset = stringField(ready, 'preset');
  const presetPort = field(ready, 'port') ?? (preset === undefined ? undefined : (PRESET_PORTS as Readonly<Record<string, number>>)[preset]);
  if (typeof presetPort === 'number' && !ports.includes(presetPort)) ports.push(presetPort);
  return ports;
}

export function checkLocalhostPorts(ctx: RuleContext): void {
  const services = field(ctx.plan, 'services');
  for (const [phaseName, phase] of entriesOf(field(ctx.plan, 'phases'))) {
    if (field(phase, 'localhost') !== true) continue;
    const owner = new Map<number, string>();
    itemsOf(field(phase, 'services')).forEach((name, i) => {
      if (typeof name !== 'string' || !isObject(field(services, name))) return;
      for (const port of servicePorts(field(services, name))) {
        const first = owner.get(port);
        if (first === undefined) owner.set(port, name);
        else if (first !== name)
          ctx.report(
            ['phases', phaseName, 'services', i],
            `services '${first}' and '${name}' both listen on port ${port}, and this phase reaches its services on localhost (one shared network namespace): change one service's port or remove 'localhost: true'`,
          );
      }
    });
  }
}

/** Every env map in the plan with its path. */
function envMaps(plan: unknown): [Path, unknown][] {
  const maps: [Path, unknown][] = [];
  for (const [name, service] of entriesOf(field(plan, 'services'))) {
    maps.push([['services', name, 'env'], field(service, 'env')]);
    maps.push([['services', name, 'local', 'env'], field(field(service, 'local'), 'env')]);
  }
  for (const [name, phase] of entriesOf(field(plan, 'phases'))) maps.push([['phases', name, 'env'], field(phase, 'env')]);
  for (const [path, check] of commandChecks(plan)) maps.push([[...path, 'env'], field(check, 'env')]);
  return maps;
}

export function checkSecretsFromEnv(ctx: RuleContext): void {
  for (const [path, env] of envMaps(ctx.plan)) {
    for (const [key, value] of entriesOf(env)) {
      const variable = stringField(value, 'secretFromEnv');
      if (variable !== undefined && ctx.env[variable] === undefined) {
        ctx.report([...path, key], `secret from environment variable '${variable}' is not set: export ${variable} before running the plan`);
      }
    }
  }
}

function checkRegex(ctx: RuleContext, pattern: unknown, path: Path): void {
  if (typeof pattern !== 'string') return;
  try {
    new RegExp(pattern);
  } catch (error) {
    ctx.report(path, `${(error as Error).message}: fix the pattern (escape special characters with a backslash)`);
  }
}

export function checkRegexes(ctx: RuleContext): void {
  for (const [name, service] of entriesOf(field(ctx.plan, 'services'))) {
    const ready = field(service, 'ready');
    checkRegex(ctx, field(ready, 'expect'), ['services', name, 'ready', 'expect']);
    const log = field(ready, 'log');
    if (typeof log === 'string') checkRegex(ctx, log, ['services', name, 'ready', 'log']);
    else checkRegex(ctx, field(log, 'pattern'), ['services', name, 'ready', 'log', 'pattern']);
  }
  itemsOf(field(ctx.plan, 'acceptance')).forEach((criterion, i) => {
    checkRegex(ctx, field(field(criterion, 'verifiedBy'), 'tests'), ['acceptance', i, 'verifiedBy', 'tests']);
  });
}
