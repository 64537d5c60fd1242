/**
 * The structural rule: walks the TypeBox schema and the value together and reports, in words a
 * user can act on, every place where the value does not fit (wrong type, unknown key, missing
 * key, bad duration, number out of range).
 */
import { Expect, MAX_NAME_LENGTH, TypeScriptOnly, PlanSchema, type Described } from '../schema.js';
import { closest, didYouMean } from '../did-you-mean.js';
import { describeValue, oneOf, type Path, type Report } from './problems.js';
import { isObject } from './view.js';

interface Node {
  readonly [Expect]?: string;
  readonly [TypeScriptOnly]?: true;
  readonly type?: string;
  readonly anyOf?: readonly Node[];
  readonly const?: unknown;
  readonly properties?: Readonly<Record<string, Node>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean;
  readonly patternProperties?: Readonly<Record<string, Node>>;
  readonly items?: Node;
  readonly pattern?: string;
  readonly minLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
}

const ANY_KEY = '^(.*)$';

/** Names that every JavaScript object already has: as keys they would shadow or replace the object's own. */
const RESERVED_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));

/** A property's schema, never one inherited from Object.prototype (`constructor`, `__proto__`). */
const propertyOf = (node: Node | undefined, key: string): Node | undefined =>
  node?.properties && Object.hasOwn(node.properties, key) ? node.properties[key] : undefined;

function expected(node: Node): string {
  if (node[Expect]) return node[Expect];
  if (node.const !== undefined) return `'${String(node.const)}'`;
  switch (node.type) {
    case 'string':
      return 'a string';
    case 'integer':
      return 'a whole number';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'array':
      return 'a list';
    default:
      return 'an object';
  }
}

function mustBe(node: Node, value: unknown): string {
  return `must be ${expected(node)}, not ${describeValue(value)}`;
}

function fitsType(node: Node, value: unknown): boolean {
  if (node[TypeScriptOnly]) return value instanceof RegExp;
  if (node.const !== undefined) return typeof value === typeof node.const;
  switch (node.type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isObject(value);
    default:
      return node.anyOf?.some((variant) => fitsType(variant, value)) ?? false;
  }
}

function walk(node: Node, value: unknown, path: Path, report: Report): void {
  if (node.anyOf) return walkUnion(node, value, path, report);
  if (node.const !== undefined) {
    if (value !== node.const) report(path, mustBe(node, value));
    return;
  }
  if (!fitsType(node, value)) return report(path, mustBe(node, value));
  if (typeof value === 'string') return walkString(node, value, path, report);
  if (typeof value === 'number') return walkNumber(node, value, path, report);
  if (Array.isArray(value))
    return value.forEach((item, i) => node.items && walk(node.items, item, [...path, i], report));
  if (isObject(value)) walkObject(node, value, path, report);
}

function walkString(node: Node, value: string, path: Path, report: Report): void {
  if (node.minLength !== undefined && value.length < node.minLength)
    report(path, `must not be empty: write ${expected(node)}`);
  else if (node.pattern !== undefined && !new RegExp(node.pattern).test(value)) report(path, mustBe(node, value));
}

function walkNumber(node: Node, value: number, path: Path, report: Report): void {
  const wrong =
    !Number.isFinite(value) ||
    (node.type === 'integer' && !Number.isInteger(value)) ||
    (node.minimum !== undefined && value < node.minimum) ||
    (node.maximum !== undefined && value > node.maximum);
  if (wrong) report(path, mustBe(node, value));
}

function walkObject(node: Node, value: Readonly<Record<string, unknown>>, path: Path, report: Report): void {
  const properties = node.properties ?? {};
  const allowed = Object.keys(properties);
  const misspelt = new Set(
    Object.keys(value)
      .filter((key) => !propertyOf(node, key))
      .map((key) => closest(key, allowed)),
  );
  for (const key of node.required ?? []) {
    // A missing key with a misspelt twin gets one message, the did-you-mean on the twin.
    if (value[key] === undefined && !misspelt.has(key))
      report(path, `'${key}' is missing: add ${expected(propertyOf(node, key) ?? {})}`);
  }
  for (const [key, item] of Object.entries(value)) {
    const known = propertyOf(node, key);
    if (known) {
      if (item !== undefined) walk(known, item, [...path, key], report);
      continue;
    }
    const recordEntry = Object.entries(node.patternProperties ?? {})[0];
    if (recordEntry) {
      const [pattern, valueNode] = recordEntry;
      if (pattern !== ANY_KEY && key.length > MAX_NAME_LENGTH) {
        report(
          [...path, key],
          `name '${key.slice(0, 20)}…' is ${key.length} characters long: names become network aliases and folder names; shorten it to at most ${MAX_NAME_LENGTH}`,
        );
      } else if (pattern !== ANY_KEY && !new RegExp(pattern).test(key)) {
        report(
          [...path, key],
          `name '${key}' is not allowed: use letters, digits, '.', '_' and '-', starting with a letter or digit`,
        );
      } else if (RESERVED_NAMES.has(key)) {
        report(
          [...path, key],
          `name '${key}' is reserved (every JavaScript object has it): choose another name, e.g. '${key.replace(/^_+/, '')}-1'`,
        );
        continue;
      }
      walk(valueNode, item, [...path, key], report);
    } else if (node.additionalProperties === false) {
      report([...path, key], unknownKey(key, allowed));
    }
  }
}

function unknownKey(key: string, allowed: readonly string[]): string {
  const hint = didYouMean(key, allowed);
  return hint ? `unknown key '${key}':${hint}` : `unknown key '${key}': remove it; allowed here: ${allowed.join(', ')}`;
}

/** Object variants of a union that share a literal key (`preset`) are told apart by that key's value. */
function discriminatorProblem(
  variants: readonly Node[],
  value: Readonly<Record<string, unknown>>,
  path: Path,
): [Path, string] | undefined {
  for (const [key, item] of Object.entries(value)) {
    const literals = variants.map((v) => propertyOf(v, key)?.const).filter((c): c is string => typeof c === 'string');
    if (literals.length < 2 || literals.includes(item as string)) continue;
    const hint = typeof item === 'string' ? didYouMean(item, literals) : '';
    return [[...path, key], `must be ${oneOf(literals)}, not ${describeValue(item)}${hint ? `:${hint}` : ''}`];
  }
  return undefined;
}

function walkUnion(node: Node, value: unknown, path: Path, report: Report): void {
  const variants = (node.anyOf ?? []).filter((variant) => fitsType(variant, value));
  const literals = (node.anyOf ?? []).map((v) => v.const).filter((c): c is string => typeof c === 'string');
  if (literals.length === node.anyOf?.length && typeof value === 'string') {
    if (!literals.includes(value))
      report(path, `${mustBe(node, value)}${didYouMean(value, literals) ? `:${didYouMean(value, literals)}` : ''}`);
    return;
  }
  if (variants.length === 0) return report(path, mustBe(node, value));
  if (variants.length === 1 || !isObject(value)) return walk(variants[0]!, value, path, report);
  const discriminator = discriminatorProblem(variants, value, path);
  if (discriminator) return report(...discriminator);
  // Judge the value as the variant(s) it shares the most distinguishing keys with.
  const common = (key: string) => variants.every((v) => propertyOf(v, key) !== undefined);
  const sharedKeys = (variant: Node) =>
    Object.keys(value).filter((k) => propertyOf(variant, k) !== undefined && !common(k)).length;
  const scores = variants.map(sharedKeys);
  const most = Math.max(...scores);
  if (most === 0) return report(path, unionMiss(node, variants, value));
  const candidates = variants.filter((_, i) => scores[i] === most);
  if (candidates.length === 1) return walk(candidates[0]!, value, path, report);
  const trials = candidates.map((variant) => {
    const found: [Path, string][] = [];
    walk(variant, value, path, (p, m) => found.push([p, m]));
    return found;
  });
  const best = trials.reduce((a, b) => (b.length < a.length ? b : a));
  for (const [p, m] of best) report(p, m);
}

function unionMiss(node: Node, variants: readonly Node[], value: Readonly<Record<string, unknown>>): string {
  const allowed = [...new Set(variants.flatMap((v) => Object.keys(v.properties ?? {})))];
  const suggestion = Object.keys(value)
    .filter((k) => !allowed.includes(k))
    .map((k) => closest(k, allowed))
    .find((s) => s !== undefined);
  return `${mustBe(node, value)}${suggestion ? `: did you mean '${suggestion}'?` : ''}`;
}

/** Rule: the plan fits the schema. */
export function checkShape(input: unknown, report: Report): void {
  walk(PlanSchema as Described as Node, input, [], report);
}
