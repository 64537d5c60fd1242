import type { EvidenceError } from './types.js';

/** What a parser or reader gives back: evidence, or an error naming the file and phase. Never a throw. */
export type EvidenceResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: EvidenceError };

/** Where evidence came from, for error messages. */
export interface EvidenceSource {
  readonly file: string;
  readonly phase?: string;
}

export const INLINE_SOURCE: EvidenceSource = { file: '<inline>' };

/**
 * Thrown inside parsers for input that is not the format they read; the parse entry points catch it
 * and turn it into an `EvidenceError`. It never leaves this module.
 */
export class MalformedEvidence extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedEvidence';
  }
}

export function evidenceError(source: EvidenceSource, message: string): EvidenceError {
  return source.phase === undefined
    ? { file: source.file, message }
    : { file: source.file, phase: source.phase, message };
}

/** `/out/junit.xml (phase unit): not found` — the one-line form used in gate and criterion messages. */
export function describeEvidenceError(error: EvidenceError): string {
  const where = error.phase === undefined ? error.file : `${error.file} (phase ${error.phase})`;
  return `${where}: ${error.message}`;
}

/** A streaming parser: chunks in, one value out; throws `MalformedEvidence` on bad input. */
export interface ChunkParser<T> {
  write(chunk: string): void;
  end(): T;
}

/** Runs a parser over text held in memory; any failure becomes an error result. */
export function parseText<T>(
  parser: ChunkParser<T>,
  text: string,
  source: EvidenceSource,
  what: string,
): EvidenceResult<T> {
  if (text.trim() === '') return { ok: false, error: evidenceError(source, `the ${what} file is empty`) };
  try {
    parser.write(text);
    return { ok: true, value: parser.end() };
  } catch (err) {
    return { ok: false, error: evidenceError(source, malformedMessage(err, what)) };
  }
}

export function malformedMessage(err: unknown, what: string): string {
  const detail = err instanceof Error ? err.message : String(err);
  return `not a valid ${what} file: ${detail}`;
}
