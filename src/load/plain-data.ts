/**
 * A plan module's default export, copied into plain data before anything else reads it: getters run
 * once (a throwing one is a plan problem with its path, not a crash), Proxies become plain objects,
 * cycles and absurd nesting are reported, and validation then judges the copy, so a getter cannot
 * answer one thing to the validator and another to the engine.
 */
import { formatPath, type Finding, type Path } from '../dsl/validate/problems.js';

const MAX_DEPTH = 64;

const firstLine = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).split('\n')[0]!.trim();

export type PlainCopy =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly problems: Finding[] };

export function copyPlainData(root: unknown): PlainCopy {
  const problems: Finding[] = [];
  const ancestors = new Map<unknown, Path>();
  const threw = (path: Path, error: unknown): undefined => {
    problems.push({
      path,
      message: `reading this value threw (${firstLine(error)}): a plan must be plain data; replace getters and Proxies with values`,
    });
    return undefined;
  };
  const read = (value: object, key: string | number, path: Path): unknown => {
    try {
      return (value as Record<string | number, unknown>)[key];
    } catch (error) {
      return threw(path, error);
    }
  };
  const copy = (value: unknown, path: Path): unknown => {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return value;
    if (typeof value === 'function') return value; // judged by validation ("must be …, not a function")
    const seen = ancestors.get(value);
    if (seen !== undefined) {
      problems.push({
        path,
        message: `refers back to ${formatPath(seen) || 'the plan'} (a cycle): a plan must be plain data without cycles`,
      });
      return undefined;
    }
    if (path.length > MAX_DEPTH) {
      problems.push({ path, message: `is nested more than ${MAX_DEPTH} levels deep: a plan must be plain data` });
      return undefined;
    }
    ancestors.set(value, path);
    try {
      if (value instanceof RegExp) return new RegExp(value.source, value.flags);
      if (Array.isArray(value))
        return Array.from({ length: value.length }, (_, i) => copy(read(value, i, [...path, i]), [...path, i]));
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        // defineProperty: a '__proto__' key (JSON.parse makes one) stays a key, for validation to judge.
        Object.defineProperty(out, key, {
          value: copy(read(value, key, [...path, key]), [...path, key]),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    } catch (error) {
      return threw(path, error);
    } finally {
      ancestors.delete(value);
    }
  };
  const value = copy(root, []);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value };
}
