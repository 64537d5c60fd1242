/** Rule: `${service.host}` / `${service.port}` templates name a service that is there when the text is used. */
import type { RuleContext } from './context.js';
import { unknownName } from './context.js';
import { didYouMean } from '../did-you-mean.js';
import { parseTemplates, SHARD_FIELDS } from '../templates.js';
import type { Path } from './problems.js';
import { commandChecks } from './rule-references.js';
import { servicePorts } from './rule-values.js';
import { entriesOf, field, itemsOf, stringsOf } from './view.js';

interface Scope {
  /** Services this text may reference. */
  readonly reachable: readonly string[];
  /** What to do when a known service is not reachable. */
  readonly howToReach: (service: string) => string;
  readonly allowsOwnPort: boolean;
  /** Whether the text runs in a sharded phase, where `${shard.index}` / `${shard.count}` have values. */
  readonly sharded?: boolean;
}

const FIELDS = ['host', 'port'];

function texts(value: unknown, path: Path): [Path, string][] {
  return stringsOf(value).map(([i, text]): [Path, string] => [i < 0 ? path : [...path, i], text]);
}

function envTexts(env: unknown, path: Path): [Path, string][] {
  return entriesOf(env).flatMap(([key, value]) =>
    typeof value === 'string' ? [[[...path, key], value] as [Path, string]] : [],
  );
}

function checkText(ctx: RuleContext, path: Path, text: string, scope: Scope): void {
  const unreachable = new Set<string>();
  for (const ref of parseTemplates(text)) {
    if (ref.kind === 'port') {
      if (!scope.allowsOwnPort)
        ctx.report(
          path,
          `'${ref.raw}' is only available in services.NAME.local.command: use '\${SERVICE.port}' to reach a service`,
        );
      continue;
    }
    if (ref.kind === 'shard') {
      if (!scope.sharded)
        ctx.report(
          path,
          `'${ref.raw}' only has a value in a sharded phase: add shard: N to the phase (for a literal, write '$${ref.raw}')`,
        );
      else if (!(SHARD_FIELDS as readonly string[]).includes(ref.field))
        ctx.report(path, `'${ref.raw}' uses unknown field '${ref.field}': use \${shard.index} or \${shard.count}`);
      continue;
    }
    const { service, field: name } = ref;
    if (!ctx.services.includes(service)) {
      ctx.report(
        path,
        `'${ref.raw}': ${unknownName('service', service, ctx.services)} (for a literal '${ref.raw}', write '$${ref.raw}')`,
      );
    } else if (!FIELDS.includes(name)) {
      const hint = didYouMean(name, FIELDS);
      ctx.report(path, `'${ref.raw}' uses unknown field '${name}':${hint || ' use host or port'}`);
    } else if (!scope.reachable.includes(service)) {
      if (!unreachable.has(service))
        ctx.report(path, `'${ref.raw}' needs service '${service}': ${scope.howToReach(service)}`);
      unreachable.add(service);
    } else if (name === 'port' && servicePorts(field(field(ctx.plan, 'services'), service)).length === 0) {
      ctx.report(path, `'${ref.raw}' needs a port: declare ports (e.g. ports: [8080]) on service '${service}'`);
    }
  }
}

const strings = (value: unknown): string[] => itemsOf(value).filter((v): v is string => typeof v === 'string');

export function checkTemplates(ctx: RuleContext): void {
  for (const [name, phase] of entriesOf(field(ctx.plan, 'phases'))) {
    const scope: Scope = {
      reachable: strings(field(phase, 'services')),
      howToReach: (service) => `add '${service}' to phases.${name}.services`,
      allowsOwnPort: false,
      sharded: field(phase, 'shard') !== undefined,
    };
    const base: Path = ['phases', name];
    const all = [
      ...texts(field(phase, 'run'), [...base, 'run']),
      ...envTexts(field(phase, 'env'), [...base, 'env']),
      ...texts(field(field(phase, 'local'), 'run'), [...base, 'local', 'run']),
    ];
    for (const [path, text] of all) checkText(ctx, path, text, scope);
  }
  for (const [name, service] of entriesOf(field(ctx.plan, 'services'))) {
    const scope: Scope = {
      reachable: strings(field(service, 'dependsOn')),
      howToReach: (other) => `add '${other}' to services.${name}.dependsOn`,
      allowsOwnPort: false,
    };
    const base: Path = ['services', name];
    const all = [
      ...texts(field(service, 'command'), [...base, 'command']),
      ...envTexts(field(service, 'env'), [...base, 'env']),
      ...envTexts(field(field(service, 'local'), 'env'), [...base, 'local', 'env']),
    ];
    for (const [path, text] of all) checkText(ctx, path, text, scope);
    for (const [path, text] of texts(field(field(service, 'local'), 'command'), [...base, 'local', 'command'])) {
      checkText(ctx, path, text, { ...scope, allowsOwnPort: true });
    }
    // Setup runs once the service is ready: it may name the service itself as well as what it depends on.
    const setupScope = { ...scope, reachable: [...scope.reachable, name] };
    itemsOf(field(service, 'setup')).forEach((command, i) => {
      for (const [path, text] of texts(command, [...base, 'setup', i])) checkText(ctx, path, text, setupScope);
    });
  }
  const noServices: Scope = {
    reachable: [],
    howToReach: (service) =>
      `commands of gates and criteria run without services; move this command into a phase that lists '${service}' in its services`,
    allowsOwnPort: false,
  };
  for (const [path, check] of commandChecks(ctx.plan)) {
    for (const [p, text] of [
      ...texts(field(check, 'run'), [...path, 'run']),
      ...envTexts(field(check, 'env'), [...path, 'env']),
    ]) {
      checkText(ctx, p, text, noServices);
    }
  }
}
