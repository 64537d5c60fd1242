/** Loads the hand-built RunResults fixtures (validated like `plan report` would). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseResults } from '../../src/report/read-results.js';
import type { RunResults } from '../../src/report/results.js';

export const FIXTURE_NAMES = ['passing', 'failing', 'error', 'unverified', 'interrupted'] as const;
export type FixtureName = (typeof FIXTURE_NAMES)[number];

export function fixturePath(name: string, ext: 'json' | 'md'): string {
  return fileURLToPath(new URL(`../../fixtures/results/${name}.${ext}`, import.meta.url));
}

export function loadFixture(name: FixtureName): RunResults {
  return parseResults(readFileSync(fixturePath(name, 'json'), 'utf8'), `${name}.json`);
}

/** A deep, mutable copy for tests that make a run better or worse. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] };

export function mutableCopy(results: RunResults): Mutable<RunResults> {
  return structuredClone(results) as Mutable<RunResults>;
}
