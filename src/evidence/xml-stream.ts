/**
 * The streaming XML reader the JUnit and Cobertura parsers share: saxes, fed chunk by chunk, behind a
 * filter that bounds memory. saxes would hold a whole attribute value or text node (a 50 MB test name)
 * in memory; the filter keeps the head and the tail of any text node or attribute value longer than
 * HEAD + TAIL and replaces the middle with `… N characters cut …`. Markup is never touched (every `<`,
 * the `>` ending a tag and the quotes pass), so no element or attribute can appear or vanish; input
 * that fools the filter can at worst make the document malformed, which is an error, never a pass.
 */
import { SaxesParser } from 'saxes';
import { MalformedEvidence } from './result.js';

export const RUN_HEAD_CHARS = 16_384;
export const RUN_TAIL_CHARS = 4_096;

export function createXmlReader(): { readonly sax: SaxesParser; write(chunk: string): void; close(): void } {
  const sax = new SaxesParser({ xmlns: false, position: false });
  const capper = createRunCapper(RUN_HEAD_CHARS, RUN_TAIL_CHARS);
  let started = false;
  // saxes never expands declared entities (no billion laughs, no external files), but "undefined
  // entity" would not say why: no JUnit or Cobertura writer declares any.
  sax.on('doctype', (doctype) => {
    if (doctype.includes('['))
      throw new MalformedEvidence(
        'it declares its own entities in a DOCTYPE, which no test or coverage tool writes: refused',
      );
  });
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

type Mode = 'text' | 'tag-start' | 'tag' | '"' | "'";

/**
 * Cuts the middle out of long segments (see the module comment). A segment is a text node, an
 * attribute value, or the inside of a tag between quotes; `<`, `>` ending a tag and the quotes are
 * never cut, so a long attribute followed by long text stays two separate, well-formed parts.
 * `<!…>` and `<?…>` (comments, CDATA, declarations) are read as text.
 */
function createSegmentCapper(head: number, tail: number): { write(chunk: string): string; end(): string } {
  let mode: Mode = 'text';
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

  function continueSegment(piece: string, out: string[]): void {
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

  function finishSegment(out: string[]): void {
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

  /** Reads from `pos` in the current mode; returns where it stopped. */
  function step(chunk: string, pos: number, out: string[]): number {
    if (mode === 'text') {
      const lt = chunk.indexOf('<', pos);
      continueSegment(chunk.slice(pos, lt === -1 ? chunk.length : lt), out);
      if (lt === -1) return chunk.length;
      finishSegment(out);
      out.push('<');
      mode = 'tag-start';
      return lt + 1;
    }
    if (mode === 'tag-start') {
      const c = chunk[pos];
      mode = c === '!' || c === '?' ? 'text' : 'tag';
      return pos;
    }
    if (mode === 'tag') {
      let i = pos;
      while (i < chunk.length) {
        const c = chunk[i];
        if (c === '"' || c === "'" || c === '>' || c === '<') break;
        i++;
      }
      continueSegment(chunk.slice(pos, i), out);
      if (i === chunk.length) return i;
      finishSegment(out);
      const c = chunk[i]!;
      if (c === '<') {
        mode = 'text';
        return i;
      }
      out.push(c);
      mode = c === '>' ? 'text' : (c as Mode);
      return i + 1;
    }
    const quote = chunk.indexOf(mode, pos);
    const lt = chunk.indexOf('<', pos);
    const stop = quote === -1 ? lt : lt === -1 ? quote : Math.min(quote, lt);
    continueSegment(chunk.slice(pos, stop === -1 ? chunk.length : stop), out);
    if (stop === -1) return chunk.length;
    finishSegment(out);
    if (stop === lt) {
      mode = 'text';
      return lt;
    }
    out.push(mode);
    mode = 'tag';
    return quote + 1;
  }

  return {
    write(chunk) {
      const out: string[] = [];
      for (let pos = 0; pos < chunk.length; ) pos = step(chunk, pos, out);
      return out.length === 1 ? out[0]! : out.join('');
    },
    end() {
      const out: string[] = [];
      finishSegment(out);
      mode = 'text';
      return out.join('');
    },
  };
}

/**
 * The filter the reader uses: runs between two `<` that fit in HEAD pass through untouched (the
 * common case, no copying); a run that grows past it goes through the segment capper, which first
 * replays the part of the run already passed (nothing in it was long enough to cut) to learn where
 * in the markup it stands.
 */
export function createRunCapper(head: number, tail: number): { write(chunk: string): string; end(): string } {
  let precise = createSegmentCapper(head, tail);
  /** The current run's text while it is short (for the replay); '' once it is handled precisely. */
  let runSoFar = '';
  let slow = false;
  return {
    write(chunk) {
      const out: string[] = [];
      let passFrom = 0;
      let i = 0;
      let continuing = true;
      while (i < chunk.length) {
        const lt = chunk.indexOf('<', continuing ? i : i + 1);
        const end = lt === -1 ? chunk.length : lt;
        if (slow) {
          out.push(precise.write(chunk.slice(i, end)));
        } else if (runSoFar.length + (end - i) > head) {
          out.push(chunk.slice(passFrom, i));
          precise = createSegmentCapper(head, tail);
          precise.write(runSoFar);
          out.push(precise.write(chunk.slice(i, end)));
          slow = true;
          runSoFar = '';
        } else if (lt === -1) {
          runSoFar += chunk.slice(i, end);
        }
        if (lt === -1) break;
        if (slow) {
          out.push(precise.end());
          slow = false;
          passFrom = lt;
        }
        runSoFar = '';
        i = lt;
        continuing = false;
      }
      if (!slow) out.push(passFrom === 0 ? chunk : chunk.slice(passFrom));
      return out.length === 1 ? out[0]! : out.join('');
    },
    end() {
      runSoFar = '';
      if (!slow) return '';
      slow = false;
      return precise.end();
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
