/**
 * A growing list of strings kept as one string per CHUNK entries plus their end offsets: a million
 * short test names cost their characters and 4 bytes each, not a million string objects.
 * `get` returns a slice of the chunk: hold it briefly, or copy it.
 */
const CHUNK_BITS = 10;
const CHUNK = 1 << CHUNK_BITS;

export class PackedStrings {
  #length = 0;
  /** End of each entry inside its chunk (the start is the previous entry's end, or 0). */
  #ends = new Uint32Array(CHUNK);
  #chunks: string[] = [];
  #pending: string[] = [];
  #pendingLength = 0;

  get length(): number {
    return this.#length;
  }

  push(text: string): number {
    const i = this.#length;
    if (i === this.#ends.length) {
      const grown = new Uint32Array(this.#ends.length * 2);
      grown.set(this.#ends);
      this.#ends = grown;
    }
    this.#pending.push(text);
    this.#pendingLength += text.length;
    this.#ends[i] = this.#pendingLength;
    this.#length = i + 1;
    if (this.#pending.length === CHUNK) {
      this.#chunks.push(this.#pending.join(''));
      this.#pending = [];
      this.#pendingLength = 0;
    }
    return i;
  }

  get(i: number): string {
    const chunk = i >> CHUNK_BITS;
    if (chunk >= this.#chunks.length) return this.#pending[i & (CHUNK - 1)]!;
    const start = (i & (CHUNK - 1)) === 0 ? 0 : this.#ends[i - 1]!;
    return this.#chunks[chunk]!.slice(start, this.#ends[i]);
  }

  /** Keeps the first `length` entries. */
  truncate(length: number): void {
    if (length >= this.#length) return;
    const first = length & ~(CHUNK - 1);
    const kept: string[] = [];
    for (let i = first; i < length; i++) kept.push(this.get(i));
    this.#chunks.length = first >> CHUNK_BITS;
    this.#pending = [];
    this.#pendingLength = 0;
    this.#length = first;
    for (const text of kept) this.push(text);
  }
}
