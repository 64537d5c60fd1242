/** Splits chunks of text into lines for the line-based parsers (lcov, TAP), keeping a partial last line. */
export function createLineSplitter(onLine: (line: string) => void): { write(chunk: string): void; rest(): string } {
  let carry = '';
  return {
    write(chunk) {
      const text = carry + chunk;
      let start = 0;
      for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
        onLine(text.slice(start, nl));
        start = nl + 1;
      }
      carry = text.slice(start);
    },
    /** What followed the last line end (and forgets it). */
    rest() {
      const rest = carry;
      carry = '';
      return rest;
    },
  };
}
