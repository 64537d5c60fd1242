/** The streaming XML reader the JUnit and Cobertura parsers share: saxes, fed chunk by chunk. */
import { SaxesParser } from 'saxes';

export function createXmlReader(): { readonly sax: SaxesParser; write(chunk: string): void; close(): void } {
  const sax = new SaxesParser({ xmlns: false, position: false });
  let started = false;
  return {
    sax,
    write(chunk) {
      // A byte-order mark before the XML declaration is legal in files but not in what saxes accepts.
      sax.write(started ? chunk : chunk.replace(/^\uFEFF/, ''));
      started = true;
    },
    close() {
      sax.close();
    },
  };
}
