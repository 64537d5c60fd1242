/**
 * `git diff -U0 -M` output → the lines each file gained, numbered in the new file. Deleted files and
 * binary files gain nothing; a rename counts only its edited lines. Hunks are consumed by their counts,
 * so a removed line reading `-- a/x` is never taken for a file header.
 */
import type { ChangedFile } from './types.js';

const HUNK = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

export function parseUnifiedDiff(text: string): ChangedFile[] {
  const files: ChangedFile[] = [];
  const lines = text.split('\n');
  let current: { path?: string; from?: string; lines: number[] } | undefined;
  const flush = (): void => {
    if (current?.path !== undefined && current.lines.length > 0)
      files.push({ path: current.path, ...(current.from ? { from: current.from } : {}), lines: current.lines });
    current = undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('diff --git ')) {
      flush();
      current = { lines: [] };
    } else if (current === undefined) {
    } else if (line.startsWith('rename from ')) {
      current.from = unquote(line.slice('rename from '.length));
    } else if (line.startsWith('+++ ')) {
      // git ends an unquoted name holding a space with a tab (for patch(1)); a name with a tab is quoted.
      const target = line.slice(4).replace(/\t$/, '');
      // `+++ /dev/null`: the file is deleted; nothing of it counts.
      if (target !== '/dev/null') current.path = stripPrefix(unquote(target), 'b/');
    } else if (line.startsWith('@@ ')) {
      const hunk = HUNK.exec(line);
      if (!hunk) continue;
      let removed = hunk[1] === undefined ? 1 : Number(hunk[1]);
      let added = hunk[3] === undefined ? 1 : Number(hunk[3]);
      let lineNo = Number(hunk[2]);
      while ((removed > 0 || added > 0) && i + 1 < lines.length) {
        const body = lines[++i]!;
        if (body.startsWith('\\')) continue; // "\ No newline at end of file"
        if (body.startsWith('+')) {
          if (body.slice(1).trim() !== '') current.lines.push(lineNo);
          lineNo++;
          added--;
        } else if (body.startsWith('-')) {
          removed--;
        } else {
          // context (with -U0 there is none, but a user's diff.context must not shift the numbers)
          lineNo++;
          added--;
          removed--;
        }
      }
    }
  }
  flush();
  return files;
}

function stripPrefix(path: string, prefix: string): string {
  return path.startsWith(prefix) ? path.slice(prefix.length) : path;
}

const ESCAPES: Readonly<Record<string, number>> = { n: 10, t: 9, r: 13, b: 8, f: 12, v: 11, a: 7, '"': 34, '\\': 92 };

/** git quotes paths with unusual characters C-style (`"b/t\303\251st.js"`); octal escapes are UTF-8 bytes. */
export function unquote(text: string): string {
  if (!(text.startsWith('"') && text.endsWith('"') && text.length >= 2)) return text;
  const bytes: number[] = [];
  const body = text.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== '\\') {
      bytes.push(...Buffer.from(ch, 'utf8'));
      continue;
    }
    const next = body[i + 1] ?? '';
    if (/[0-7]/.test(next)) {
      const octal = /^[0-7]{1,3}/.exec(body.slice(i + 1))![0];
      bytes.push(Number.parseInt(octal, 8));
      i += octal.length;
    } else {
      bytes.push(ESCAPES[next] ?? next.charCodeAt(0));
      i++;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** The lines of a whole new file (an untracked one): every non-blank line is a changed line. */
export function addedFile(path: string, text: string): ChangedFile {
  const lines: number[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() !== '') lines.push(index + 1);
  });
  return { path, lines, untracked: true };
}
