/**
 * The cases of a test report, stored compactly so that a million of them stay small (issue 9):
 * statuses in a Uint8Array, durations in a Float64Array, names packed (packed-strings.ts), suites and
 * files as indexes into a packed table of distinct strings. A case with
 * text (a message or details: failures, skip reasons) is also kept whole, and `at` returns that very
 * object. Every other case is rebuilt on read, so hold on to as few as you can: iterate, count by
 * `statusAt`, keep what you list.
 */
import { PackedStrings } from './packed-strings.js';
import type { TestCase, TestCounts, TestStatus } from './types.js';

const STATUSES: readonly TestStatus[] = ['passed', 'failed', 'error', 'skipped'];
const STATUS_CODE: Readonly<Record<TestStatus, number>> = { passed: 0, failed: 1, error: 2, skipped: 3 };
const INITIAL_CAPACITY = 1024;
/** Past this many distinct suite/file strings, new ones are stored without looking for a twin. */
const MAX_INDEXED_STRINGS = 100_000;

export class CaseList implements Iterable<TestCase> {
  #length = 0;
  #status = new Uint8Array(INITIAL_CAPACITY);
  #duration = new Float64Array(INITIAL_CAPACITY);
  #suite = new Uint32Array(INITIAL_CAPACITY);
  /** Index into #strings plus one; 0: no file. */
  #file = new Uint32Array(INITIAL_CAPACITY);
  #names = new PackedStrings();
  /** Distinct suites and files (up to MAX_INDEXED_STRINGS looked up; past that, appended). */
  #strings = new PackedStrings();
  #stringIndex = new Map<string, number>();
  #whole = new Map<number, TestCase>();

  static of(cases: Iterable<TestCase>): CaseList {
    const list = new CaseList();
    for (const c of cases) list.push(c);
    return list;
  }

  get length(): number {
    return this.#length;
  }

  /** `keepWhole`: store the object itself even without text, so that `at` returns it (identity). */
  push(c: TestCase, keepWhole = false): void {
    const i = this.#length;
    if (i === this.#status.length) this.#grow();
    this.#status[i] = STATUS_CODE[c.status];
    this.#duration[i] = c.durationMs;
    this.#suite[i] = this.#stringId(c.suite);
    this.#file[i] = c.file === undefined ? 0 : this.#stringId(c.file) + 1;
    this.#names.push(c.name);
    if (keepWhole || c.message !== undefined || c.details !== undefined) this.#whole.set(i, c);
    this.#length = i + 1;
  }

  statusAt(i: number): TestStatus {
    return STATUSES[this.#status[i]!]!;
  }

  at(index: number): TestCase | undefined {
    const i = index < 0 ? this.#length + index : index;
    if (i < 0 || i >= this.#length) return undefined;
    const whole = this.#whole.get(i);
    if (whole !== undefined) return whole;
    const suite = this.#strings.get(this.#suite[i]!);
    const name = this.#names.get(i);
    const status = this.statusAt(i);
    const durationMs = this.#duration[i]!;
    const file = this.#file[i]!;
    return file === 0
      ? { suite, name, status, durationMs }
      : { suite, name, status, durationMs, file: this.#strings.get(file - 1) };
  }

  *[Symbol.iterator](): Iterator<TestCase> {
    for (let i = 0; i < this.#length; i++) yield this.at(i)!;
  }

  counts(): TestCounts {
    const n = [0, 0, 0, 0];
    for (let i = 0; i < this.#length; i++) n[this.#status[i]!]!++;
    return { total: this.#length, passed: n[0]!, failed: n[1]!, errored: n[2]!, skipped: n[3]! };
  }

  /** Removes the cases from `start` on for which `drop(i)` is true (decided before anything moves); keeps order. */
  removeWhere(start: number, drop: (index: number) => boolean): void {
    const keep: number[] = [];
    for (let i = start; i < this.#length; i++) if (!drop(i)) keep.push(i);
    const names = keep.map((i) => this.#names.get(i));
    this.#names.truncate(start);
    const whole = new Map([...this.#whole].filter(([i]) => i < start));
    let write = start;
    for (const read of keep) {
      this.#status[write] = this.#status[read]!;
      this.#duration[write] = this.#duration[read]!;
      this.#suite[write] = this.#suite[read]!;
      this.#file[write] = this.#file[read]!;
      this.#names.push(names[write - start]!);
      const kept = this.#whole.get(read);
      if (kept !== undefined) whole.set(write, kept);
      write++;
    }
    this.#whole = whole;
    this.#length = write;
  }

  #stringId(text: string): number {
    const known = this.#stringIndex.get(text);
    if (known !== undefined) return known;
    const id = this.#strings.push(text);
    if (this.#stringIndex.size < MAX_INDEXED_STRINGS) this.#stringIndex.set(text, id);
    return id;
  }

  #grow(): void {
    const size = this.#status.length * 2;
    const grown = <T extends Uint8Array | Uint32Array | Float64Array>(old: T, make: (n: number) => T): T => {
      const next = make(size);
      next.set(old as never);
      return next;
    };
    this.#status = grown(this.#status, (n) => new Uint8Array(n));
    this.#duration = grown(this.#duration, (n) => new Float64Array(n));
    this.#suite = grown(this.#suite, (n) => new Uint32Array(n));
    this.#file = grown(this.#file, (n) => new Uint32Array(n));
  }
}
