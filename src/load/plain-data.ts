/**
 * A plan module's default export, copied into plain data before anything else reads it: getters run
 * once (a throwing one is a plan problem with its path, not a crash), Proxies become plain objects,
 * cycles and absurd nesting are reported, and validation then judges the copy, so a getter cannot
 * answer one thing to the validator and another to the engine.
 */
import { formatPath, type Finding, type Path } from '../dsl/validate/problems.js';

const MAX_DEPTH = 64;

const firstLine = (error: unknown): string => (error instanceof Error ? error.message : String(error)).split('\n')[0]!.trim();

export type PlainCopy = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly problems: Finding[] };

export function copyPlainData(root: unknown): PlainCopy {
  const problems: Finding[] = [];
  const ancestors = new Set<unknown>();
  const copy = (value: unknown, path: Path): unknown => {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return value;
    if (typeof value === 'function') return value; // judged by validation ("must be …, not a function")
    if (ancestors.has(value)) {
      problems.push({ path, message: `refers back to ${formatPath(path.slice(0, -1)) || 'the plan'} (a cycle): a plan must be plain data without cycles` });
      return undefined;
    }
    if (path.length > MAX_DEPTH) {
      problems.push({ path, message: `is nested more than ${MAX_DEPTH} levels deep: a plan must be plain data` });
      return undefined;
    }
    ancestors.add(value);
    try {
      if (value instanceof RegExp) return new RegExp(value.source, value.flags);
      if (Array.isArray(value)) return Array.from({ length: value.length }, (_, i) => copy(value[i], [...path, i]));
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value)) out[key] = copy((value as Record<string, unknown>)[key], [...path, key]);
      return out;
    } catch (error) {
      problems.push({ path, message: `reading this value threw (${firstLine(error)}): a plan must be plain data; replace getters and Proxies with values` });
      return undefined;
    } finally {
      ancestors.delete(value);
    }
  };
  const value = copy(root, []);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value };
}
