/** One TAP line, classified. Indentation (4 spaces per subtest level) is handled by the caller. */

export type TapLine =
  | { readonly kind: 'version' }
  | { readonly kind: 'plan'; readonly count: number; readonly skipReason?: string }
  | { readonly kind: 'point'; readonly point: TapPoint }
  | { readonly kind: 'subtest'; readonly name: string }
  | { readonly kind: 'bail'; readonly reason: string }
  | { readonly kind: 'comment' }
  /** `not` alone on a line: a failing test point cut in two. */
  | { readonly kind: 'broken'; readonly reason: string }
  | { readonly kind: 'other' };

export interface TapPoint {
  readonly ok: boolean;
  readonly number?: number;
  readonly description: string;
  readonly directive?: { readonly kind: 'skip' | 'todo'; readonly reason: string };
  readonly durationMs?: number;
}

const POINT = /^(not )?ok(?:\s+(\d+))?(?:\s+(.*))?$/;
const PLAN = /^1\.\.(\d+)\s*(?:#\s*(.*))?$/;
const DIRECTIVE = /^(skip|todo)\S*(?:\s+(.*))?$/i;
const TIME = /(?:^|\s)time=([\d.]+)(ms|s)\b/;

export function classifyTapLine(content: string): TapLine {
  if (content.startsWith('ok') || content.startsWith('not ok')) {
    const m = POINT.exec(content);
    if (m) return { kind: 'point', point: parsePoint(m[1] === undefined, m[2], m[3] ?? '') };
  }
  if (content.startsWith('1..')) {
    const m = PLAN.exec(content);
    if (m) {
      const skip = m[2] === undefined ? undefined : DIRECTIVE.exec(m[2].trim());
      return skip && skip[1]!.toLowerCase() === 'skip'
        ? { kind: 'plan', count: Number(m[1]), skipReason: skip[2] ?? '' }
        : { kind: 'plan', count: Number(m[1]) };
    }
  }
  if (content.startsWith('Bail out!')) return { kind: 'bail', reason: content.slice('Bail out!'.length).trim() };
  if (content.startsWith('#')) {
    const subtest = /^#\s*Subtest:\s*(.*)$/.exec(content);
    return subtest ? { kind: 'subtest', name: subtest[1]!.trim() } : { kind: 'comment' };
  }
  if (/^TAP version \d+\s*$/.test(content)) return { kind: 'version' };
  if (/^not\s*$/.test(content))
    return { kind: 'broken', reason: 'a line holds only "not": a failing test point was cut in two' };
  return { kind: 'other' };
}

function parsePoint(ok: boolean, numberText: string | undefined, rest: string): TapPoint {
  const { text, directiveText } = splitDirective(rest);
  const description = unescapeTap(text.replace(/^-\s*/, '').trim());
  const directiveMatch = directiveText === undefined ? null : DIRECTIVE.exec(directiveText.trim());
  const timeMatch = directiveText === undefined ? null : TIME.exec(directiveText);
  const durationMs = timeMatch ? Number(timeMatch[1]) * (timeMatch[2] === 's' ? 1000 : 1) : undefined;
  return {
    ok,
    ...(numberText === undefined ? {} : { number: Number(numberText) }),
    description,
    ...(directiveMatch
      ? {
          directive: {
            kind: directiveMatch[1]!.toLowerCase() as 'skip' | 'todo',
            reason: (directiveMatch[2] ?? '').trim(),
          },
        }
      : {}),
    ...(durationMs === undefined || !Number.isFinite(durationMs) ? {} : { durationMs }),
  };
}

/** The description ends at the first `#` not escaped as `\#`. */
function splitDirective(rest: string): { text: string; directiveText?: string } {
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '\\') {
      i++;
      continue;
    }
    if (rest[i] === '#') return { text: rest.slice(0, i), directiveText: rest.slice(i + 1) };
  }
  return { text: rest };
}

function unescapeTap(text: string): string {
  return text.replace(/\\([\\#])/g, '$1');
}

/** `duration_ms`, and the failure message (`message:` or node's `error:`), from a YAML diagnostics block. */
export function readDiagnostics(yaml: readonly string[]): { durationMs?: number; message?: string } {
  let durationMs: number | undefined;
  let message: string | undefined;
  for (let i = 0; i < yaml.length; i++) {
    const line = yaml[i]!.trim();
    const duration = /^duration_ms:\s*([\d.]+)\s*$/.exec(line);
    if (duration && durationMs === undefined) durationMs = Number(duration[1]);
    const msg = message === undefined ? /^(message|error):\s*(.*)$/.exec(line) : null;
    if (msg) {
      const value = msg[2]!.trim();
      message = /^[|>][-+0-9]*$/.test(value) ? yaml[i + 1]?.trim() : unquote(value);
      if (message === '') message = undefined;
    }
  }
  return {
    ...(durationMs === undefined || !Number.isFinite(durationMs) ? {} : { durationMs }),
    ...(message === undefined ? {} : { message }),
  };
}

function unquote(value: string): string {
  if (
    value.length >= 2 &&
    ((value.startsWith("'") && value.endsWith("'")) || (value.startsWith('"') && value.endsWith('"')))
  ) {
    return value.slice(1, -1);
  }
  return value;
}
