/** Where this copy of testplan's public entry point lives, so plan files can import 'testplan'. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The running package's `index` (dist/index.js when built, src/index.ts when run from source).
 * Plan files get this copy whatever their folder holds: `defineTestPlan` is an identity function,
 * so the runtime copy cannot disagree with the one the editor type-checked against.
 */
export function ownEntryPoint(exists: (path: string) => boolean = existsSync): string {
  const js = fileURLToPath(new URL('../index.js', import.meta.url));
  return exists(js) ? js : js.replace(/\.js$/, '.ts');
}

/** Type declarations of the same entry point, for the type checker. */
export function ownTypes(exists: (path: string) => boolean = existsSync): string {
  const dts = fileURLToPath(new URL('../index.d.ts', import.meta.url));
  return exists(dts) ? dts : ownEntryPoint(exists);
}
