import type { Report } from './problems.js';
import { didYouMean } from '../did-you-mean.js';
import { keysOf, field } from './view.js';

export interface RuleContext {
  /** The plan as written; possibly malformed, so read it through view.ts. */
  readonly plan: unknown;
  readonly env: NodeJS.ProcessEnv;
  readonly report: Report;
  readonly images: readonly string[];
  readonly services: readonly string[];
  readonly phases: readonly string[];
}

/** One validation rule: reads the plan, reports every problem it finds, never throws. */
export type Rule = (ctx: RuleContext) => void;

export function ruleContext(plan: unknown, env: NodeJS.ProcessEnv, report: Report): RuleContext {
  return {
    plan,
    env,
    report,
    images: keysOf(field(plan, 'images')),
    services: keysOf(field(plan, 'services')),
    phases: keysOf(field(plan, 'phases')),
  };
}

type NameKind = 'image' | 'service' | 'phase';

/** "unknown service 'redsi': did you mean 'redis'?" or the list of names to choose from. */
export function unknownName(kind: NameKind, name: string, known: readonly string[], self?: string): string {
  const others = known.filter((k) => k !== self);
  const hint = didYouMean(name, others);
  if (hint) return `unknown ${kind} '${name}':${hint}`;
  if (known.length === 0) return `unknown ${kind} '${name}': the plan defines no ${kind}s; define it under '${kind}s'`;
  if (others.length === 0)
    return `unknown ${kind} '${name}': the only ${kind} is '${self}' itself; define '${name}' under '${kind}s'`;
  return `unknown ${kind} '${name}': use one of ${others.join(', ')} or define it under '${kind}s'`;
}
