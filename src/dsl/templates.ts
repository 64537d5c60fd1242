/**
 * `${service.host}` / `${service.port}` templates in env values and commands, and `${port}` in a
 * service's local command. Other `${NAME}` forms are left alone: they are shell variables.
 */

export type TemplateRef =
  | { readonly kind: 'service'; readonly raw: string; readonly service: string; readonly field: string }
  | { readonly kind: 'port'; readonly raw: string };

const TEMPLATE_RE = /\$\{([^}]*)\}/g;

function classify(body: string, raw: string): TemplateRef | undefined {
  const inner = body.trim();
  if (inner === 'port') return { kind: 'port', raw };
  const dot = inner.indexOf('.');
  if (dot < 0) return undefined;
  return { kind: 'service', raw, service: inner.slice(0, dot), field: inner.slice(dot + 1) };
}

/** Every template reference in `text`, in order of appearance. */
export function parseTemplates(text: string): TemplateRef[] {
  const refs: TemplateRef[] = [];
  for (const match of text.matchAll(TEMPLATE_RE)) {
    const ref = classify(match[1] ?? '', match[0]);
    if (ref) refs.push(ref);
  }
  return refs;
}

export interface TemplateValues {
  /** Value of `${service.field}` (`host` or `port`), or `undefined` to leave it unresolved. */
  readonly service: (service: string, field: 'host' | 'port') => string | undefined;
  /** Value of `${port}` (a service's own local port). */
  readonly port?: string;
}

/** Replaces the templates the driver knows values for; everything else stays as written. */
export function renderTemplates(text: string, values: TemplateValues): string {
  return text.replace(TEMPLATE_RE, (raw: string, body: string) => {
    const ref = classify(body, raw);
    if (!ref) return raw;
    if (ref.kind === 'port') return values.port ?? raw;
    if (ref.field !== 'host' && ref.field !== 'port') return raw;
    return values.service(ref.service, ref.field) ?? raw;
  });
}
