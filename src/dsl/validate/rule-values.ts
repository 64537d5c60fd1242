/** Rules on values the schema cannot judge: empty plans, port clashes, unset secrets, regexes. */
import type { RuleContext } from './context.js';
import type { Path } from './problems.js';
import { commandChecks } from './rule-references.js';
import { entriesOf, field, isObject, itemsOf, keysOf, stringField } from './view.js';

export const PRESET_PORTS = { postgres: 5432, redis: 6379 } as const satisfies Readonly<Record<string, number>>;

export function checkNotEmpty(ctx: RuleContext): void {
  const phases = field(ctx.plan, 'phases');
  if (isObject(phases) && keysOf(phases).length === 0) {
    ctx.report(
      ['phases'],
      "the plan has no phases: add at least one, e.g. unit: { image: 'node:20', run: 'npm test' }",
    );
  }
}

/** Container ports a service listens on: its `ports` plus its preset probe's port. */
export function servicePorts(service: unknown): number[] {
  const ports = itemsOf(field(service, 'ports')).filter((p): p is number => typeof p === 'number');
  const ready = field(service, 'ready');
  const preset = stringField(ready, 'preset');
  const presetPort =
    field(ready, 'port') ??
    (preset === undefined ? undefined : (PRESET_PORTS as Readonly<Record<string, number>>)[preset]);
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
  for (const [name, phase] of entriesOf(field(plan, 'phases')))
    maps.push([['phases', name, 'env'], field(phase, 'env')]);
  for (const [path, check] of commandChecks(plan)) maps.push([[...path, 'env'], field(check, 'env')]);
  return maps;
}

export function checkSecretsFromEnv(ctx: RuleContext): void {
  for (const [path, env] of envMaps(ctx.plan)) {
    for (const [key, value] of entriesOf(env)) {
      const variable = stringField(value, 'secretFromEnv');
      if (variable !== undefined && ctx.env[variable] === undefined) {
        ctx.report(
          [...path, key],
          `secret from environment variable '${variable}' is not set: export ${variable} before running the plan`,
        );
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

/** `results.text`: a preset or pass + fail patterns (not both), valid RegExps, a source that is `output` or an absolute path. */
export function checkTextResults(ctx: RuleContext): void {
  for (const [name, phase] of entriesOf(field(ctx.plan, 'phases'))) {
    const text = field(field(phase, 'results'), 'text');
    if (!isObject(text)) continue;
    const path: Path = ['phases', name, 'results', 'text'];
    const patterns = (['pass', 'fail', 'skip', 'file'] as const).filter((k) => field(text, k) !== undefined);
    if (field(text, 'preset') !== undefined && patterns.length > 0) {
      ctx.report(
        [...path, patterns[0]!],
        `give either 'preset' or your own patterns, not both: remove '${patterns[0]}' or 'preset'`,
      );
    } else if (
      field(text, 'preset') === undefined &&
      (field(text, 'pass') === undefined || field(text, 'fail') === undefined)
    ) {
      ctx.report(
        path,
        "say which lines are tests: { preset: 'mocha' | 'pytest' | 'go' | 'cargo' | 'per-file' } or { pass: '^ok (.+)', fail: '^FAIL (.+)' }",
      );
    }
    for (const key of patterns) checkRegex(ctx, field(text, key), [...path, key]);
    const source = stringField(text, 'source');
    if (source !== undefined && source !== 'output' && !source.startsWith('/')) {
      ctx.report(
        [...path, 'source'],
        `'${source}' is neither 'output' nor an absolute container path: write 'output' or e.g. '/out/test-output.txt'`,
      );
    }
  }
}
