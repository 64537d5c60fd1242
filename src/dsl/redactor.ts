/**
 * The one redactor: every output (console, run.log, results.json and everything rendered from it)
 * masks secret values through it. It works on free text only (log lines, messages, failure text,
 * probe output); callers never pass it keys or names, so a secret such as `test` or `postgres`
 * cannot rewrite the structure of a result.
 *
 * Masked forms of each value: raw, URL-encoded (`encodeURIComponent` and form encoding), JSON-escaped,
 * base64 (at each of the three byte alignments, as GitHub Actions does), and any of these split by
 * ANSI escape codes (then the codes of that text are dropped); each line of a multi-line value too.
 */
export const MASK = '***';

export type Redact = (text: string) => string;

// CSI, OSC and two-byte ESC sequences (the same classes text/ansi.ts strips for display).
const ANSI =
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]|\u009b[0-?]*[ -/]*[@-~]/g;
const HAS_ANSI = /[\u001b\u009b]/;

/** A redactor for `values`; the identity when there is nothing to mask. */
export function makeRedactor(values: readonly string[]): Redact {
  const needles = [...new Set(values.flatMap(maskedForms))]
    // A form the mask itself contains ('*') would re-mask masked text on every pass, never ending the same.
    .filter((form) => form.length > 0 && !MASK.includes(form))
    // Longest first, so that a secret containing another is masked whole.
    .sort((a, b) => b.length - a.length);
  if (needles.length === 0) return (text) => text;
  const replaceAll = (text: string): string => {
    let out = text;
    for (const needle of needles) if (out.includes(needle)) out = out.split(needle).join(MASK);
    return out;
  };
  return (text) => {
    const out = replaceAll(text);
    if (!HAS_ANSI.test(out)) return out;
    const plain = out.replace(ANSI, '');
    return needles.some((n) => plain.includes(n)) ? replaceAll(plain) : out;
  };
}

export function maskedForms(value: string): string[] {
  if (value === '') return [];
  // Output is split into lines: each line of a multi-line secret is masked on its own (as GitHub Actions does).
  const lines = value.includes('\n') ? value.split(/\r?\n/).filter((line) => line.trim().length > 0) : [];
  return [
    ...lines,
    value,
    safe(() => encodeURIComponent(value)),
    safe(() => new URLSearchParams({ v: value }).toString().slice(2)),
    JSON.stringify(value).slice(1, -1),
    ...base64Forms(value),
  ];
}

/**
 * The value's base64 wherever it starts in a longer encoded text: at byte offset 0, 1 or 2 of a
 * 3-byte group, without the characters that also depend on the neighbouring bytes.
 */
function base64Forms(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const forms: string[] = [];
  for (const shift of [0, 1, 2]) {
    const n = shift + bytes.length;
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
    const form = encoded.slice([0, 2, 3][shift], Math.floor(n / 3) * 4);
    // Too short a form would mask unrelated base64 text; the raw value is masked regardless.
    if (form.length >= 6) forms.push(form);
  }
  return forms;
}

function safe(encode: () => string): string {
  try {
    return encode();
  } catch {
    return ''; // lone surrogates cannot be URL-encoded; the raw value is still masked
  }
}
