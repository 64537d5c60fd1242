/** Problems found while validating a plan, located by path segments until they are formatted. */

export type PathSegment = string | number;
export type Path = readonly PathSegment[];

export interface Finding {
  readonly path: Path;
  readonly message: string;
}

export type Report = (path: Path, message: string) => void;

const PLAIN_KEY = /^[A-Za-z0-9_-]+$/;

/** `phases.integration.services[1]`; keys that are not plain names are quoted: `pathMap["/app/"]`. */
export function formatPath(path: Path): string {
  let out = '';
  for (const whole of path) {
    const segment = typeof whole === 'string' && whole.length > 64 ? `${whole.slice(0, 40)}…` : whole;
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** A value as it appears in a message: strings quoted, long ones shortened. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 37)}…` : value}'`;
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof RegExp) return String(value);
  if (typeof value === 'object') {
    const keys = Object.keys(value);
    return keys.length === 0 ? 'an empty object' : `an object with ${keys.map((k) => `'${k}'`).join(', ')}`;
  }
  if (typeof value === 'function') return 'a function';
  return String(value);
}

/** `'a', 'b' or 'c'`. */
export function oneOf(names: readonly string[]): string {
  const quoted = names.map((n) => `'${n}'`);
  return quoted.length <= 1 ? (quoted[0] ?? '') : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}
