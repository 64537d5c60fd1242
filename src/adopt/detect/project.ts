/** What `plan init` learned about one ecosystem in a repository: how its tests run and what they enforce. */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CoverageThresholds } from '../../dsl/types.js';

export interface DetectedProject {
  readonly ecosystem: 'node' | 'python' | 'go' | 'jvm';
  /** Plan name suggested by the project's manifest. */
  readonly name?: string;
  /** The test command as the project runs it (evidence flags are added later). */
  readonly command: string;
  readonly runner: string;
  /** Measure coverage even though the command does not ask for it (the project has the tool). */
  readonly coverage?: boolean;
  readonly coverSource?: string;
  readonly thresholds?: { readonly values: CoverageThresholds; readonly source: string };
  /** For a generated Dockerfile.test. */
  readonly dockerfile: (base: string | undefined) => string;
  readonly found: readonly string[];
  readonly guesses: readonly string[];
}

export function readText(dir: string, file: string): string | undefined {
  const path = join(dir, file);
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

export function readJson(dir: string, file: string): Record<string, unknown> | undefined {
  const text = readText(dir, file);
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

export function firstExisting(dir: string, files: readonly string[]): string | undefined {
  return files.find((f) => existsSync(join(dir, f)));
}

export function listFiles(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** `lines: 80, branches: 70` from a JS/TS/JSON config text or an object. */
export function thresholdsFrom(source: unknown): CoverageThresholds {
  const out: { -readonly [K in keyof CoverageThresholds]: number } = {};
  for (const key of ['lines', 'branches', 'functions', 'statements'] as const) {
    const value =
      typeof source === 'string'
        ? new RegExp(`["']?${key}["']?\\s*[:=]\\s*(\\d+(?:\\.\\d+)?)`).exec(source)?.[1]
        : typeof source === 'object' && source !== null
          ? (source as Record<string, unknown>)[key]
          : undefined;
    if (value !== undefined && Number.isFinite(Number(value))) out[key] = Number(value);
  }
  return out;
}

export const nonEmpty = (t: CoverageThresholds): boolean => Object.keys(t).length > 0;

/** Lowercase, dash-separated, without an npm scope: a valid plan name. */
export function planName(raw: string): string {
  return (
    raw
      .replace(/^@[^/]+\//, '')
      .toLowerCase()
      .replace(/[^a-z0-9_.-]+/g, '-')
      .replace(/^[^a-z0-9]+|-+$/g, '') || 'tests'
  );
}
