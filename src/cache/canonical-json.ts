/**
 * One JSON spelling per value, for hashing: object keys sorted, `undefined` fields dropped, a secret
 * replaced by a hash of its value (never the value), a RegExp by its source and flags. Two values that
 * mean the same give the same text; any difference in meaning gives a different one.
 */
import { createHash } from 'node:crypto';
import { Secret } from '../dsl/secret.js';

/** A secret's stand-in in a key: a digest, domain-separated so it matches no other hash we compute. */
export function secretDigest(secret: Secret): string {
  return createHash('sha256').update('testplan-secret\0').update(secret.reveal()).digest('hex');
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonical(value));
}

function canonical(value: unknown): unknown {
  if (value instanceof Secret) return { $secret: secretDigest(value) };
  if (value instanceof RegExp) return { $regexp: value.source, flags: value.flags };
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : canonical(v)));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = canonical(v);
    }
    return out;
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'function' || typeof value === 'symbol') throw new Error(`BUG: ${typeof value} in a cache key`);
  return value;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
