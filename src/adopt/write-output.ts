/** Writing what an adopter produced: never over an existing file without `--force`; notes printed for a person. */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { AdoptError } from './adopt-error.js';
import type { Draft, Note } from './plan/draft.js';

export interface WrittenFile {
  readonly path: string;
  readonly content: string;
}

/** Refuses before writing anything when any target exists (unless `force`), then writes them all. */
export function writeFiles(files: readonly WrittenFile[], force: boolean, display: (file: string) => string): void {
  const existing = files.filter((f) => existsSync(f.path));
  if (existing.length > 0 && !force) {
    throw new AdoptError(
      `${existing.map((f) => display(f.path)).join(', ')} already exist${existing.length === 1 ? 's' : ''}: nothing was written. Pass --force to overwrite them.`,
    );
  }
  for (const f of files) {
    mkdirSync(dirname(f.path), { recursive: true });
    writeFileSync(f.path, f.content);
  }
}

/** The notes for the terminal: what was found, what to check, what was not mapped. */
export function describeNotes(draft: Draft): string {
  const section = (title: string, notes: readonly Note[]): string =>
    notes.length === 0
      ? ''
      : `${title}\n${notes.map((n) => `  - ${n.path.length > 0 ? `${n.path.join('.')}: ` : ''}${n.text}`).join('\n')}\n`;
  return [
    section(
      'Found:',
      draft.notes.filter((n) => n.kind === 'found'),
    ),
    section(
      'Check these guesses (marked `guess:` in the plan):',
      draft.notes.filter((n) => n.kind === 'guess'),
    ),
    section(
      'Warnings: not mapped (kept as `not mapped:` comments):',
      draft.notes.filter((n) => n.kind === 'warning'),
    ),
  ].join('');
}
