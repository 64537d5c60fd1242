/** This copy of testplan's version, from its package.json (two folders up from src/cli and from dist/cli alike). */
import { readFileSync } from 'node:fs';

export function ownVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}
