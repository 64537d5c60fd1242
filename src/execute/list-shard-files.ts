/**
 * Lists the files a sharded phase splits: a short container (or host process under `--driver local`)
 * runs `find` in the phase's working folder, with its image and mounts, so the list is what the tests
 * will see. Paths come back relative to that folder (or absolute, for an absolute glob).
 */
import type { ShardFile } from '../compile/shards.js';
import { shardGlobBase, shardGlobMatcher } from '../dsl/shard-glob.js';

/** Folders never searched: dependencies and VCS data hold no test files of the project. */
const PRUNED = ['node_modules', '.git'];
/** How long the listing may take before the phase errors. */
export const LISTING_TIMEOUT_MS = 60_000;

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** The shell script that prints `<bytes> <path>` per file under the glob's base (GNU find). */
export function listingScript(glob: string): string {
  const prune = PRUNED.map((name) => `-name ${quote(name)}`).join(' -o ');
  return `find ${quote(shardGlobBase(glob))} \\( ${prune} \\) -prune -o -type f -printf '%s %p\\n'`;
}

/** The matching files of a listing's output lines, sorted by path. */
export function parseListing(lines: readonly string[], glob: string): ShardFile[] {
  const matches = shardGlobMatcher(glob);
  const files = new Map<string, number>();
  for (const line of lines) {
    const m = /^(\d+) (.+)$/.exec(line);
    if (!m) continue;
    const path = m[2]!.startsWith('./') ? m[2]!.slice(2) : m[2]!;
    if (matches(path)) files.set(path, Number(m[1]));
  }
  return [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([path, sizeBytes]) => ({ path, sizeBytes }));
}
