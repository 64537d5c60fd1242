/** `.plan.yaml` / `.plan.yml`: parse with positions, so every problem can point at its line. */
import { LineCounter, parseDocument, isMap, isNode, isScalar, type Document } from 'yaml';
import type { PlanProblem } from '../errors.js';
import type { Path } from '../dsl/validate/index.js';

export interface ParsedYaml {
  readonly input: unknown;
  /** `file:line:col` of the node at `path` (or of its nearest existing parent). */
  readonly locate: (path: Path) => string;
}

export type YamlResult =
  | { readonly ok: true; readonly value: ParsedYaml }
  | { readonly ok: false; readonly problems: PlanProblem[] };

export function parseYamlPlan(text: string, file: string): YamlResult {
  const lines = new LineCounter();
  const doc: Document.Parsed = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => {
    const { line, col } = lines.linePos(offset);
    return `${file}:${line}:${col}`;
  };
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((error) => ({
        file: at(error.pos[0]),
        path: '',
        message: `YAML syntax error: ${error.message}; fix the YAML and run plan check again`,
      })),
    };
  }
  const locate = (path: Path): string => {
    const parent = path.length > 0 ? doc.getIn(path.slice(0, -1), true) : undefined;
    const key = isMap(parent)
      ? parent.items.find((pair) => isScalar(pair.key) && pair.key.value === path[path.length - 1])?.key
      : undefined;
    if (isScalar(key) && key.range) return at(key.range[0]);
    for (let length = path.length; length > 0; length--) {
      const node = doc.getIn(path.slice(0, length), true);
      if (isNode(node) && node.range) return at(node.range[0]);
    }
    return doc.contents?.range ? at(doc.contents.range[0]) : file;
  };
  const input = toData(doc, file);
  return input.ok ? { ok: true, value: { input: input.value, locate } } : input;
}

/** Aliases are expanded here: a bomb of nested aliases or an alias without its anchor is a plan problem. */
function toData(
  doc: Document.Parsed,
  file: string,
): { ok: true; value: unknown } | { ok: false; problems: PlanProblem[] } {
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: 100 }) };
  } catch (error) {
    const message = (error as Error).message;
    const unresolved = /Unresolved alias[^:]*: (.+)$/.exec(message);
    const text = unresolved
      ? `YAML alias '*${unresolved[1]}' has no anchor '&${unresolved[1]}' before it: define the anchor first, or write the value out`
      : /alias count/i.test(message)
        ? 'YAML aliases expand too many times (an alias bomb): write the values out instead of nesting aliases'
        : `YAML could not be read: ${message.split('\n')[0]}; fix the YAML and run plan check again`;
    return { ok: false, problems: [{ file, path: '', message: text }] };
  }
}
