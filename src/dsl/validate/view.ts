/**
 * Safe reads of a plan that may be malformed: semantic rules run even when the shape check found
 * problems, so they read through these and skip whatever is not the expected type.
 */

export type Loose = Readonly<Record<string, unknown>>;

export function isObject(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof RegExp);
}

export function entriesOf(value: unknown): [string, unknown][] {
  return isObject(value) ? Object.entries(value) : [];
}

export function keysOf(value: unknown): string[] {
  return isObject(value) ? Object.keys(value) : [];
}

export function itemsOf(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

export function field(value: unknown, key: string): unknown {
  return isObject(value) ? value[key] : undefined;
}

export function stringField(value: unknown, key: string): string | undefined {
  const v = field(value, key);
  return typeof v === 'string' ? v : undefined;
}

/** `[index, text]` for every string in a list (or the string itself at index -1). */
export function stringsOf(value: unknown): [number, string][] {
  if (typeof value === 'string') return [[-1, value]];
  return itemsOf(value).flatMap((item, i): [number, string][] => (typeof item === 'string' ? [[i, item]] : []));
}
