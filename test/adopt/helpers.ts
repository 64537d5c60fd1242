/** Adoption tests: the CLI in-process, fixture repositories copied to temp folders, plans checked as a user would. */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { cli, type CliResult as CliRun } from '../helpers/in-process-cli.js';

import { tempDir } from '../helpers/temp-dir.js';

export { cli, tempDir, type CliRun };
export const REPO = resolve(import.meta.dirname, '../..');
export const ADOPT_FIXTURES = join(REPO, 'fixtures/adopt');

/** A copy of `fixtures/adopt/<name>` in a fresh folder (imports and runs write into it). */
export function copyFixture(name: string): string {
  const dir = join(tempDir(name), name);
  cpSync(join(ADOPT_FIXTURES, name), dir, { recursive: true });
  return dir;
}

/** Writes files (path → text) under a fresh folder; returns the folder. */
export function writeTree(files: Readonly<Record<string, string>>, prefix = 'tree'): string {
  const dir = tempDir(prefix);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/**
 * `plan check --types FILE` as a user runs it. Run from the repository's folder: `plan check` hands
 * the type checker a path relative to the process's folder, and reads secretFromEnv variables from
 * the process environment (set them with `withEnv`).
 */
export function checkTypes(file: string): Promise<CliRun> {
  return cli(['check', '--types', file], process.cwd());
}

export async function withEnv<T>(vars: Readonly<Record<string, string>>, body: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return await body();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
