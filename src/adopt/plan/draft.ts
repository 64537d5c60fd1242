/**
 * A plan being adopted from something a team already has (a repository, a compose file, a CI
 * workflow): the plan's data in the shape users write, plus what a person should read about it.
 * Every note lands twice: as a comment in the generated file, above the key it is about, and in
 * the list `plan init` / `plan import` print. Nothing an importer could not map is dropped silently.
 */

/** `secretFromEnv('NAME')` / `secret('…')` in the generated file. */
export interface SecretCall {
  readonly secretCall: 'secret' | 'secretFromEnv';
  readonly argument: string;
}
export const secretFromEnvCall = (name: string): SecretCall => ({ secretCall: 'secretFromEnv', argument: name });
export const secretCall = (value: string): SecretCall => ({ secretCall: 'secret', argument: value });
export function isSecretCall(value: unknown): value is SecretCall {
  return typeof value === 'object' && value !== null && 'secretCall' in value && 'argument' in value;
}

/** A path into the plan: `['services', 'redis', 'ready']`. */
export type DraftPath = readonly string[];

export type NoteKind =
  /** What was found and used as is. */
  | 'found'
  /** A choice a person should check. */
  | 'guess'
  /** Something in the input with no equivalent: carried as a comment, not applied. */
  | 'warning';

export interface Note {
  readonly kind: NoteKind;
  readonly path: DraftPath;
  readonly text: string;
}

export type DraftValue =
  | string
  | number
  | boolean
  | RegExp
  | SecretCall
  | undefined
  | readonly DraftValue[]
  | { readonly [key: string]: DraftValue };
export type DraftObject = { [key: string]: DraftValue };

export class Draft {
  readonly plan: DraftObject;
  readonly notes: Note[] = [];
  /** Lines at the top of the generated file. */
  readonly header: string[] = [];

  constructor(name: string) {
    this.plan = { name };
  }

  get name(): string {
    return String(this.plan.name);
  }

  /** Sets the value at `path`, creating the objects on the way. */
  set(path: DraftPath, value: DraftValue): void {
    let node = this.plan;
    for (const key of path.slice(0, -1)) {
      const next = node[key];
      if (
        typeof next !== 'object' ||
        next === null ||
        Array.isArray(next) ||
        next instanceof RegExp ||
        isSecretCall(next)
      )
        node[key] = {};
      node = node[key] as DraftObject;
    }
    node[path[path.length - 1]!] = value;
  }

  get(path: DraftPath): DraftValue {
    let node: DraftValue = this.plan;
    for (const key of path) {
      if (typeof node !== 'object' || node === null || Array.isArray(node) || node instanceof RegExp) return undefined;
      node = (node as DraftObject)[key];
    }
    return node;
  }

  found(path: DraftPath, text: string): void {
    this.notes.push({ kind: 'found', path, text });
  }
  guess(path: DraftPath, text: string): void {
    this.notes.push({ kind: 'guess', path, text });
  }
  warn(path: DraftPath, text: string): void {
    this.notes.push({ kind: 'warning', path, text });
  }
}
