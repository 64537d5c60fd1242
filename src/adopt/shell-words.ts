/** Shell words, as compose splits a string `command:` and as a command line is quoted back. */

/** Splits like a POSIX shell without expansion: quotes and backslashes, no variables, no globbing. */
export function splitShellWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1]!)) word += text[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** One word as `sh` reads it back unchanged. */
export function quoteShellWord(word: string): string {
  return /^[A-Za-z0-9_\-+=.,/:@%^]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export const joinShellWords = (words: readonly string[]): string => words.map(quoteShellWord).join(' ');
