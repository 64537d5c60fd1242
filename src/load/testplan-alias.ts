/**
 * For plans that go through tsx (they import npm packages): a module resolution hook that maps
 * `import … from 'testplan'` to the running copy, so it works in this repository without a build
 * and in user projects alike. Plans bundled by esbuild get the same mapping from a plugin.
 */
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';

const registered = new Set<string>();

export function registerTestplanAlias(entryPoint: string, registerHook: typeof register = register): void {
  const target = pathToFileURL(entryPoint).href;
  if (registered.has(target)) return;
  registered.add(target);
  const hook = `export async function resolve(specifier, context, next) {
  return next(specifier === 'testplan' ? ${JSON.stringify(target)} : specifier, context);
}`;
  registerHook(`data:text/javascript,${encodeURIComponent(hook)}`);
}
