/**
 * The names `--reporter` accepts and the default choice: checked before a run starts, so this module
 * loads none of the reporters (registry.ts maps each name to its implementation).
 */
import { UsageError } from '../../errors.js';
import type { CommandContext } from '../context.js';

export const REPORTER_NAMES = ['live', 'plain', 'github', 'json'] as const;
export type ReporterName = (typeof REPORTER_NAMES)[number];

const isReporterName = (name: string): name is ReporterName => (REPORTER_NAMES as readonly string[]).includes(name);

/** Live on a terminal, plain otherwise; plus github under GitHub Actions (first, so that the verdict stays the last lines). */
export function defaultReporters(ctx: CommandContext): ReporterName[] {
  return [...(ctx.env.GITHUB_ACTIONS === 'true' ? (['github'] as const) : []), ctx.isTTY ? 'live' : 'plain'];
}

export function reporterNames(ctx: CommandContext, given: readonly string[] | undefined): ReporterName[] {
  if (!given || given.length === 0) return defaultReporters(ctx);
  const names = given.flatMap((g) => g.split(',')).map((n) => n.trim());
  for (const name of names) {
    if (!isReporterName(name))
      throw new UsageError(`--reporter ${name}: expected one of ${REPORTER_NAMES.join(', ')}.`);
  }
  return [...new Set(names as ReporterName[])];
}
