import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export const PLAN_FILE = /\.plan\.(ts|yaml|yml|js)$/;

/** `plans/*.plan.{ts,yaml,yml,js}` under `cwd`, sorted, as absolute paths; none when there is no plans folder. */
export async function discoverPlans(cwd: string): Promise<string[]> {
  const folder = resolve(cwd, 'plans');
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR')
      return [];
    throw error;
  }
  return names
    .filter((name) => PLAN_FILE.test(name))
    .sort()
    .map((name) => join(folder, name));
}
