/** `plan cache prune [--max-size SIZE] [--max-age DURATION]`: bounds the local phase results cache. */
import { DEFAULT_MAX_AGE_MS, DEFAULT_MAX_BYTES, pruneLocal } from '../../cache/prune.js';
import { parseDuration } from '../../dsl/duration.js';
import { EXIT, UsageError } from '../../errors.js';
import { parseCommand } from '../args.js';
import { cacheDir } from '../cache-settings.js';
import type { CommandContext } from '../context.js';

const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4 };

export function parseSize(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|tb)?$/i.exec(text.trim());
  return m ? Math.floor(Number(m[1]) * SIZE_UNITS[(m[2] ?? 'b').toLowerCase()]!) : undefined;
}

/** Durations as elsewhere, plus days (`14d`). */
export function parseAge(text: string): number | undefined {
  const days = /^(\d+(?:\.\d+)?)d$/.exec(text);
  return days ? Math.round(Number(days[1]) * 86_400_000) : parseDuration(text);
}

const mb = (bytes: number): string => `${(bytes / 1024 ** 2).toFixed(1)} MB`;

export async function cacheCommand(argv: readonly string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseCommand('cache', argv);
  if (positionals.length !== 1 || positionals[0] !== 'prune')
    throw new UsageError(`plan cache: expected 'prune' (plan cache prune [--max-size 2GB] [--max-age 14d])`);
  const maxBytes = values['max-size'] === undefined ? DEFAULT_MAX_BYTES : parseSize(values['max-size']);
  if (maxBytes === undefined)
    throw new UsageError(`--max-size ${values['max-size']}: expected a size such as 500MB or 2GB`);
  const maxAgeMs = values['max-age'] === undefined ? DEFAULT_MAX_AGE_MS : parseAge(values['max-age']);
  if (maxAgeMs === undefined)
    throw new UsageError(`--max-age ${values['max-age']}: expected a duration such as 12h or 7d`);
  const dir = cacheDir(values, ctx.cwd, ctx.env);
  const out = await pruneLocal(dir, { maxBytes, maxAgeMs });
  ctx.stdout(
    `pruned ${dir}: removed ${out.removed} entr${out.removed === 1 ? 'y' : 'ies'} (${mb(out.removedBytes)}), kept ${out.kept} (${mb(out.keptBytes)})\n`,
  );
  return EXIT.passed;
}
