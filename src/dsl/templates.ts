/**
 * `${service.host}` / `${service.port}` templates in env values and commands, `${shard.index}` /
 * `${shard.count}` in a sharded phase (`shard` is a reserved name, never a service), and `${port}` in a
 * service's local command. Only `${name.field}` (a name and a field, nothing else) is a template:
 * shell forms such as `${HOME}`, `${VAR:-default}` or `${VAR:-a.b}` are left to the shell.
 * `$${…}` is the escape (as in docker-compose): it is never a template and becomes `${…}`.
 */

export type TemplateRef =
  | { readonly kind: 'service'; readonly raw: string; readonly service: string; readonly field: string }
  | { readonly kind: 'shard'; readonly raw: string; readonly field: string }
  | { readonly kind: 'port'; readonly raw: string };

/** The name `${shard.index}` / `${shard.count}` use: no service may take it. */
export const SHARD_TEMPLATE = 'shard';
export const SHARD_FIELDS = ['index', 'count'] as const;

const TEMPLATE_RE = /(\$?)\$\{([^}]*)\}/g;
/** `name.field`: what no shell parameter expansion looks like (shell names have no dots). */
const SERVICE_FIELD = /^([A-Za-z0-9][A-Za-z0-9_-]*)\.([A-Za-z0-9_.-]+)$/;

function classify(escaped: string, body: string, raw: string): TemplateRef | undefined {
  if (escaped) return undefined;
  const inner = body.trim();
  if (inner === 'port') return { kind: 'port', raw };
  const match = SERVICE_FIELD.exec(inner);
  if (!match) return undefined;
  if (match[1] === SHARD_TEMPLATE) return { kind: 'shard', raw, field: match[2]! };
  return { kind: 'service', raw, service: match[1]!, field: match[2]! };
}

/** Every template reference in `text`, in order of appearance. */
export function parseTemplates(text: string): TemplateRef[] {
  const refs: TemplateRef[] = [];
  for (const match of text.matchAll(TEMPLATE_RE)) {
    const ref = classify(match[1] ?? '', match[2] ?? '', match[0]);
    if (ref) refs.push(ref);
  }
  return refs;
}

export interface TemplateValues {
  /** Value of `${service.field}` (`host` or `port`), or `undefined` to leave it unresolved. */
  readonly service: (service: string, field: 'host' | 'port') => string | undefined;
  /** Value of `${port}` (a service's own local port). */
  readonly port?: string;
  /** `${shard.index}` (from 1) and `${shard.count}` of the shard the text runs in. */
  readonly shard?: { readonly index: number; readonly count: number };
}

/** Replaces the templates the driver knows values for; everything else stays as written. */
export function renderTemplates(text: string, values: TemplateValues): string {
  return text.replace(TEMPLATE_RE, (raw: string, escaped: string, body: string) => {
    if (escaped) return raw.slice(1);
    const ref = classify(escaped, body, raw);
    if (!ref) return raw;
    if (ref.kind === 'port') return values.port ?? raw;
    if (ref.kind === 'shard') {
      if (!values.shard || (ref.field !== 'index' && ref.field !== 'count')) return raw;
      return String(values.shard[ref.field]);
    }
    if (ref.field !== 'host' && ref.field !== 'port') return raw;
    return values.service(ref.service, ref.field) ?? raw;
  });
}
