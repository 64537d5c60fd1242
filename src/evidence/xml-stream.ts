/**
 * The streaming XML reader the JUnit and Cobertura parsers share: saxes, fed chunk by chunk, behind a
 * filter that bounds memory. saxes would hold a whole attribute value or text node (a 50 MB test name)
 * in memory; the filter keeps the head and the tail of any run of characters between two `<` longer
 * than HEAD + TAIL and replaces the middle with `… N characters cut …`. Element structure is never
 * touched (every `<` passes), so no element can appear or vanish; a cut that joins two different
 * attributes can at worst make the document malformed, which is an error, never a pass.
 */
import { SaxesParser } from 'saxes';

export const RUN_HEAD_CHARS = 16_384;
export const RUN_TAIL_CHARS = 4_096;

export function createXmlReader(): { readonly sax: SaxesParser; write(chunk: string): void; close(): void } {
  const sax = new SaxesParser({ xmlns: false, position: false });
  const capper = createRunCapper(RUN_HEAD_CHARS, RUN_TAIL_CHARS);
  let started = false;
  return {
    sax,
    write(chunk) {
      // A byte-order mark before the XML declaration is legal in files but not in what saxes accepts.
      const text = capper.write(started ? chunk : chunk.replace(/^\uFEFF/, ''));
      started = true;
      if (text !== '') sax.write(text);
    },
    close() {
      const rest = capper.end();
      if (rest !== '') sax.write(rest);
      sax.close();
    },
  };
}

/** Cuts the middle out of long runs of characters between `<`s (see the module comment). */
export function createRunCapper(head: number, tail: number): { write(chunk: string): string; end(): string } {
  let run = 0;
  let cutting = false;
  let tailParts: string[] = [];
  let tailLength = 0;
  let dropped = 0;

  function keepTail(piece: string): void {
    tailParts.push(piece);
    tailLength += piece.length;
    if (tailLength > tail * 4) {
      const joined = tailParts.join('');
      dropped += joined.length - tail;
      tailParts = [joined.slice(-tail)];
      tailLength = tail;
    }
  }

  function continueRun(piece: string, out: string[]): void {
    if (piece === '') return;
    if (!cutting) {
      const room = head - run;
      run += piece.length;
      if (piece.length <= room) {
        out.push(piece);
        return;
      }
      const end = safeHeadEnd(piece, Math.max(room, 0));
      out.push(piece.slice(0, end));
      cutting = true;
      keepTail(piece.slice(end));
      return;
    }
    run += piece.length;
    keepTail(piece);
  }

  function finishRun(out: string[]): void {
    if (cutting) {
      const joined = tailParts.join('');
      const start = safeTailStart(joined, Math.max(joined.length - tail, 0));
      dropped += start;
      out.push(`… ${dropped} characters cut …`, joined.slice(start));
    }
    run = 0;
    cutting = false;
    tailParts = [];
    tailLength = 0;
    dropped = 0;
  }

  return {
    write(chunk) {
      const out: string[] = [];
      let pos = 0;
      for (let lt = chunk.indexOf('<'); lt !== -1; lt = chunk.indexOf('<', pos)) {
        continueRun(chunk.slice(pos, lt), out);
        finishRun(out);
        out.push('<');
        run = 1;
        pos = lt + 1;
      }
      continueRun(chunk.slice(pos), out);
      return out.length === 1 ? out[0]! : out.join('');
    },
    end() {
      const out: string[] = [];
      finishRun(out);
      return out.join('');
    },
  };
}

/** Where to end the kept head: never inside `&entity;` nor between the halves of a surrogate pair. */
function safeHeadEnd(piece: string, end: number): number {
  const amp = piece.lastIndexOf('&', end - 1);
  if (amp !== -1 && end - amp < 12 && piece.indexOf(';', amp) >= end) end = amp;
  const code = piece.charCodeAt(end - 1);
  return code >= 0xd800 && code <= 0xdbff ? end - 1 : end;
}

/** Where to start the kept tail: after a cut `&entity;`, never on the second half of a surrogate pair. */
function safeTailStart(text: string, start: number): number {
  const semi = text.indexOf(';', start);
  if (semi !== -1 && semi - start < 12) {
    const amp = text.lastIndexOf('&', semi);
    if (amp < start) start = semi + 1;
  }
  const code = text.charCodeAt(start);
  return code >= 0xdc00 && code <= 0xdfff ? start + 1 : start;
}
