/**
 * Line patterns for runners that print only text. In each pattern the first capture group that
 * matched is the test (or file) name; a group named `count` says how many tests the line stands for
 * (pytest's `SKIPPED [3] …`). `end` stops matching (a summary that repeats the failures follows).
 */
export interface TextPatterns {
  readonly pass: RegExp;
  readonly fail: RegExp;
  readonly skip?: RegExp;
  /** A file or suite header: later tests belong to it, and a crash is named after it. */
  readonly file?: RegExp;
  readonly end?: RegExp;
}

export const TEXT_PRESETS = {
  /** mocha's default `spec` reporter. */
  mocha: {
    pass: /^\s+[✔✓]\s+(.+?)(?:\s+\(\d+ms\))?$/,
    fail: /^\s+\d+\)\s+(.+)$/,
    skip: /^\s+-\s+(.+)$/,
    end: /^\s+\d+ passing\b/,
  },
  /** The short summary of `pytest -rA` (one line per test; `SKIPPED [n]` groups skips). */
  pytest: {
    pass: /^(?:PASSED|XPASS) (\S+)/,
    fail: /^(?:FAILED|ERROR) (\S+)/,
    skip: /^(?:SKIPPED \[(?<count>\d+)\] (\S+?):? |XFAIL (\S+))/,
  },
  /** `go test -v`: `--- PASS: TestX`, per package `ok`/`FAIL` lines. */
  go: {
    pass: /^\s*--- PASS: (\S+)/,
    fail: /^\s*--- FAIL: (\S+)/,
    skip: /^\s*--- SKIP: (\S+)/,
    file: /^=== RUN\s+(\S+)$/,
  },
  /** `cargo test`: `test a::b ... ok`, one `Running <target>` header per test binary. */
  cargo: {
    pass: /^test (\S+) \.\.\. ok$/,
    fail: /^test (\S+) \.\.\. FAILED$/,
    skip: /^test (\S+) \.\.\. ignored\b/,
    file: /^\s*(?:Running (?:unittests )?(\S+)|Doc-tests (\S+))/,
  },
  /** A per-file runner: a line naming the file, then `name ✔` or `name FAILED!` per test. */
  'per-file': {
    pass: /^\s*(.+?)\s+[✔✓]$/,
    fail: /^\s*(.+?)\s+(?:FAILED!|[✖✗✘])$/,
    skip: /^\s*(.+?)\s+(?:SKIPPED|skipped|-)$/,
    file: /^\s*(?:[#▶>]+\s*)?(\S+\.(?:[cm]?[jt]sx?|py|rb|go|rs|sh|t))\s*:?$/,
  },
} as const satisfies Record<string, TextPatterns>;

export type TextPreset = keyof typeof TEXT_PRESETS;

export const TEXT_PRESET_NAMES = Object.keys(TEXT_PRESETS) as TextPreset[];
