/** `plan check --types`: the compiler's view of a `.plan.ts`, as `file:line:col message` lines. */
import { relative } from 'node:path';
import { Project, ts } from 'ts-morph';
import { ownTypes } from './own-package.js';

export interface Diagnostic {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** The compiler's message; continuation lines are indented by two spaces. */
  readonly message: string;
  /** `file:line:col message`. */
  readonly text: string;
  /** Same as `text`, so a diagnostic prints as one line in a template string. */
  toString(): string;
}

export interface TypeCheckOptions {
  /** Diagnostics name files relative to this folder. Default: `process.cwd()`. */
  readonly cwd?: string;
}

/** Options of a strict ESM project where `import … from 'testplan'` means this package. */
export function planCompilerOptions(): ts.CompilerOptions {
  return {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    resolveJsonModule: true,
    paths: { testplan: [ownTypes()] },
  };
}

/** Type-checks one plan file (and what it imports); diagnostics of that file only, in source order. */
export async function typeCheckPlan(file: string, options: TypeCheckOptions = {}): Promise<Diagnostic[]> {
  const [diagnostics = []] = await typeCheckPlans([file], options);
  return diagnostics;
}

/** Several plan files in one compiler program (the standard library is parsed once): one list per file. */
export async function typeCheckPlans(
  files: readonly string[],
  options: TypeCheckOptions = {},
): Promise<Diagnostic[][]> {
  const cwd = options.cwd ?? process.cwd();
  const project = new Project({ compilerOptions: planCompilerOptions() });
  const sources = files.map((file) => project.addSourceFileAtPath(file));
  return sources.map((source) => {
    const display = relative(cwd, source.getFilePath()) || source.getFilePath();
    return source.getPreEmitDiagnostics().map((d) => {
      const { line, column } = source.getLineAndColumnAtPos(d.getStart() ?? 0);
      const message = ts.flattenDiagnosticMessageText(d.compilerObject.messageText, '\n').split('\n').join('\n  ');
      const text = `${display}:${line}:${column} ${message}`;
      return { file: display, line, column, message, text, toString: () => text };
    });
  });
}
