const hidden = new WeakMap<Secret, string>();

/** A secret value that cannot leak through `String()`, template strings, `JSON.stringify` or `util.inspect`. */
export class Secret {
  static readonly mask = '***';
  constructor(value: string, readonly source: string) {
    hidden.set(this, value);
  }
  reveal(): string {
    return hidden.get(this) ?? '';
  }
  toString(): string {
    return Secret.mask;
  }
  toJSON(): string {
    return Secret.mask;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `Secret(${this.source})`;
  }
}

/** Replaces every occurrence of every secret value in `text` with the mask. */
export function redact(text: string, secrets: readonly Secret[]): string {
  let out = text;
  for (const s of secrets) {
    const value = s.reveal();
    if (value.length > 0) out = out.split(value).join(Secret.mask);
  }
  return out;
}
