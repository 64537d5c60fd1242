import { Secret } from '../dsl/secret.js';
import { stripAnsi } from './ansi.js';
import type { RunResults } from './results.js';

/**
 * Returns a copy of `results` where every occurrence of every secret value, in every string and
 * object key at any depth, is replaced with `***`. The CLI calls this before writing or printing
 * anything. Strings holding ANSI escapes are stripped of them first, so that a colour code in a
 * log line cannot split a secret and let it through.
 */
export function redactResults(results: RunResults, secretValues: readonly string[]): RunResults {
  const redact = makeRedactor(secretValues);
  return redactValue(results, redact) as RunResults;
}

/** A string redactor for the given secret values (also matching their URL-encoded form). */
export function makeRedactor(secretValues: readonly string[]): (text: string) => string {
  const needles = [...new Set(secretValues.flatMap(variants))]
    .filter((v) => v.length > 0)
    // Longest first, so a secret that contains another is masked whole.
    .sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text.includes('\u001b') || text.includes('\u009b') ? stripAnsi(text) : text;
    for (const needle of needles) if (out.includes(needle)) out = out.split(needle).join(Secret.mask);
    return out;
  };
}

function variants(value: string): string[] {
  const encoded = safeEncode(value);
  return encoded === value ? [value] : [value, encoded];
}

function safeEncode(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return value; // lone surrogates cannot be encoded; the raw value is still masked
  }
}

function redactValue(value: unknown, redact: (text: string) => string): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, redact));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[redact(key)] = redactValue(item, redact);
    return out;
  }
  return value;
}
