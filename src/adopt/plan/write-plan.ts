/**
 * Draft → `.plan.ts` text: `import { defineTestPlan, … } from 'testplan'` and one
 * `export default defineTestPlan({ … })`, built and formatted with ts-morph. Guesses and unmapped
 * input become comments above the key they are about (or in the file header).
 */
import { IndentationText, Project, QuoteKind, ts } from 'ts-morph';
import { type Draft, isSecretCall, type DraftObject, type DraftPath, type DraftValue, type Note } from './draft.js';

const INLINE_WIDTH = 90;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function writePlanSource(draft: Draft): string {
  const comments = placeComments(draft);
  const imports = new Set(['defineTestPlan']);
  const body = render(ordered(draft.plan), [], 0, { comments, imports });

  const project = new Project({
    useInMemoryFileSystem: true,
    manipulationSettings: { indentationText: IndentationText.TwoSpaces, quoteKind: QuoteKind.Single },
  });
  const file = project.createSourceFile('generated.plan.ts', '');
  const header = [...draft.header, ...(comments.get('') ?? [])].map((l) => l.replace(/\*\//g, '* /'));
  file.addImportDeclaration({
    moduleSpecifier: 'testplan',
    namedImports: [...imports].sort((a, b) =>
      a === 'defineTestPlan' ? -1 : b === 'defineTestPlan' ? 1 : a.localeCompare(b),
    ),
    leadingTrivia: header.length > 0 ? `/**\n${header.map((l) => ` * ${l}`.trimEnd()).join('\n')}\n */\n` : undefined,
  });
  file.addExportAssignment({ isExportEquals: false, expression: `defineTestPlan(${body})` });
  file.formatText({ indentSize: 2, convertTabsToSpaces: true, semicolons: ts.SemicolonPreference.Insert });
  return file.getFullText();
}

const KEY_ORDER = ['name', 'description', 'images', 'services', 'phases', 'gates', 'acceptance'];
/** The plan's keys in the order the DSL reference lists them, whatever order the importer set them in. */
function ordered(plan: DraftObject): DraftObject {
  const keys = Object.keys(plan).sort((a, b) => rank(a) - rank(b));
  return Object.fromEntries(keys.map((k) => [k, plan[k]]));
}
const rank = (key: string): number => (KEY_ORDER.includes(key) ? KEY_ORDER.indexOf(key) : KEY_ORDER.length);

interface RenderContext {
  /** Comment lines keyed by the joined path of the property they go above. */
  readonly comments: ReadonlyMap<string, readonly string[]>;
  readonly imports: Set<string>;
}

const pathKey = (path: DraftPath): string => path.join('\u0000');

/** Each note goes above the deepest key of its path that the plan has; root-level notes go to the header. */
function placeComments(draft: Draft): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const note of draft.notes) {
    if (note.kind === 'found') continue;
    let path = note.path;
    while (path.length > 0 && draft.get(path) === undefined) path = path.slice(0, -1);
    const prefix = note.path.length > path.length ? `${note.path.slice(path.length).join('.')}: ` : '';
    const key = pathKey(path);
    out.set(key, [...(out.get(key) ?? []), commentText(note, prefix)]);
  }
  return out;
}

function commentText(note: Note, prefix: string): string {
  const label = note.kind === 'guess' ? 'guess' : 'not mapped';
  return `${label}: ${prefix}${note.text}`.replace(/\s*\n\s*/g, ' ').replace(/\*\//g, '* /');
}

function render(value: DraftValue, path: DraftPath, depth: number, ctx: RenderContext): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof RegExp) return value.toString();
  if (isSecretCall(value)) {
    ctx.imports.add(value.secretCall);
    return `${value.secretCall}(${quote(value.argument)})`;
  }
  const pad = '  '.repeat(depth + 1);
  const close = '  '.repeat(depth);
  if (Array.isArray(value)) {
    const items = value.map((item, i) => render(item, [...path, String(i)], depth + 1, ctx));
    const inline = `[${items.join(', ')}]`;
    if (!hasCommentsBelow(path, ctx) && inline.length + depth * 2 <= INLINE_WIDTH && !inline.includes('\n'))
      return inline;
    return `[\n${items.map((item) => `${pad}${item},`).join('\n')}\n${close}]`;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  const parts = entries.map(([key, v]) => {
    const childPath = [...path, key];
    const lines = ctx.comments.get(pathKey(childPath)) ?? [];
    return {
      comments: lines,
      text: `${IDENTIFIER.test(key) ? key : quote(key)}: ${render(v, childPath, depth + 1, ctx)}`,
    };
  });
  const inline = `{ ${parts.map((p) => p.text).join(', ')} }`;
  if (!hasCommentsBelow(path, ctx) && inline.length + depth * 2 <= INLINE_WIDTH && !inline.includes('\n'))
    return inline;
  const body = parts.map((p) => [...p.comments.map((c) => `${pad}// ${c}`), `${pad}${p.text},`].join('\n'));
  return `{\n${body.join('\n')}\n${close}}`;
}

function hasCommentsBelow(path: DraftPath, ctx: RenderContext): boolean {
  const prefix = pathKey(path);
  for (const key of ctx.comments.keys()) {
    if (key.length > prefix.length && (prefix === '' || key.startsWith(`${prefix}\u0000`))) return true;
  }
  return false;
}

function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}'`;
}
