import { MASK, makeRedactor, type Redact } from './redactor.js';

const hidden = new WeakMap<Secret, string>();

/** A secret value that cannot leak through `String()`, template strings, `JSON.stringify` or `util.inspect`. */
export class Secret {
  static readonly mask = MASK;
  constructor(
    value: string,
    readonly source: string,
  ) {
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

const redactors = new WeakMap<readonly Secret[], Redact>();

/** Masks every secret of `secrets` in the free text `text`, through the one redactor (redactor.ts). */
export function redact(text: string, secrets: readonly Secret[]): string {
  let redactor = redactors.get(secrets);
  if (!redactor) {
    redactor = makeRedactor(secrets.map((s) => s.reveal()));
    redactors.set(secrets, redactor);
  }
  return redactor(text);
}
