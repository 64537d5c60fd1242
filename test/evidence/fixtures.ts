/** Real tool output committed under fixtures/evidence (see its README for how each was made). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../../fixtures/evidence/${name}`, import.meta.url));
}

export function fixtureText(name: string): string {
  return readFileSync(fixturePath(name), 'utf8');
}

/** Where the fixture projects lived when the tools ran; maps the tools' absolute paths to repo paths. */
export const PYPROJ = '/tmp/gen-fixtures/pyproj/';
export const NODEPROJ = '/tmp/gen-fixtures/nodeproj/';
export const JESTPROJ = '/tmp/gen-fixtures/jestproj/';

export function unwrap<T>(result: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!result.ok) throw new Error(`expected evidence, got error: ${result.error.message}`);
  return result.value;
}
