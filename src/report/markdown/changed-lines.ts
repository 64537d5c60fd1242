/** "Changed lines": the changed files with their changed-line coverage and the uncovered lines (gates.coverage.changed). */
import { formatPercent } from '../../evidence/format.js';
import type { RunResults } from '../results.js';
import { cell, code, table } from './escape.js';

/** Files the section lists; results.json lists up to 500. */
export const CHANGED_FILES_SHOWN = 20;
/** Uncovered ranges shown per file. */
const RANGES_SHOWN = 10;

export function changedLinesSection(results: RunResults): string | undefined {
  const changed = results.changedLines;
  if (changed === undefined) return undefined;
  const head = `## Changed lines\n\nSince ${code(changed.base)} (merge-base ${code(changed.mergeBase.slice(0, 12))}): ${
    changed.executable === 0
      ? 'no executable line changed'
      : `${changed.covered} of ${changed.executable} changed executable lines covered (${formatPercent(changed.covered, changed.executable)})`
  }.`;
  const shown = changed.files.slice(0, CHANGED_FILES_SHOWN);
  const rows = shown.map((f) => [
    cell(f.from ? `${f.path} (renamed from ${f.from})` : f.path) + (f.untracked ? ' (untracked)' : ''),
    String(f.changed),
    f.executable === 0 ? '—' : `${f.covered}/${f.executable} (${formatPercent(f.covered, f.executable)})`,
    f.noRecord
      ? `no coverage record: ${ranges(f.uncovered, f.unlistedRanges)}`
      : f.uncovered.length
        ? ranges(f.uncovered, f.unlistedRanges)
        : '—',
  ]);
  const more = changed.files.length - shown.length + (changed.unlistedFiles ?? 0);
  const parts = [head];
  if (rows.length > 0) parts.push(table(['File', 'Changed lines', 'Covered', 'Uncovered changed lines'], rows));
  if (more > 0) parts.push(`_… and ${more} more changed files (results.json lists ${changed.files.length})._`);
  const others = changed.notCounted.length + (changed.unlistedNotCounted ?? 0);
  if (others > 0)
    parts.push(
      `_Not counted (not measured code, a test file, or left out by include/exclude): ${changed.notCounted
        .slice(0, 5)
        .map(code)
        .join(', ')}${others > 5 ? ` and ${others - 5} more` : ''}._`,
    );
  for (const note of changed.notes ?? []) parts.push(`_${cell(note)}_`);
  return parts.join('\n\n');
}

function ranges(list: readonly string[], unlisted = 0): string {
  const shown = list.slice(0, RANGES_SHOWN).join(', ');
  const more = Math.max(0, list.length - RANGES_SHOWN) + unlisted;
  return cell(more > 0 ? `${shown} and ${more} more ranges` : shown);
}
