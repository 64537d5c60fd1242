/**
 * The `shard.files` glob (picomatch syntax): what makes it valid, the folder listing starts from, and
 * the matcher the listed paths go through. One place, for validation and for the file listing.
 */
import picomatch from 'picomatch';

const PAIRS: readonly (readonly [string, string])[] = [
  ['[', ']'],
  ['{', '}'],
  ['(', ')'],
];

/** Why `glob` cannot select shard files, or undefined when it can. */
export function shardGlobProblem(glob: string): string | undefined {
  const example = "e.g. 'test/**/*.test.ts'";
  if (glob.trim() === '') return `the glob is empty: name the test files, ${example}`;
  if (glob.startsWith('!')) return `'${glob}' is a negated glob: name the files to run, ${example}`;
  if (glob.split('/').includes('..'))
    return `'${glob}' climbs out with '..': name files under the working folder, ${example}`;
  for (const [open, close] of PAIRS) {
    if (glob.split(open).length !== glob.split(close).length)
      return `'${glob}' has an unbalanced '${open}${close}': close it or escape it`;
  }
  if (!picomatch.scan(glob).isGlob) return `'${glob}' names one file, not a set to split: use a glob, ${example}`;
  return undefined;
}

/** The folder to list from: the glob's fixed leading part (`test` for `test/**\/*.ts`), or `.`. */
export function shardGlobBase(glob: string): string {
  return picomatch.scan(glob).base || '.';
}

/** Whether a listed path (relative to the working folder, without `./`, or absolute) matches. */
export function shardGlobMatcher(glob: string): (path: string) => boolean {
  return picomatch(glob, { dot: false });
}
