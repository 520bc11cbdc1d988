/**
 * Whether a stream ends where readers end it. A stream whose /Length is an indirect
 * reference is read by readers (pdf.js, poppler) to that length; pdf-lib, which composes the
 * print copy, does not resolve it while it parses and ends the stream at the first
 * `endstream` in its data instead. A content stream with `endstream` written inside it
 * printed only its first part (a text a later white box covers on screen; found in a
 * review). Only a /Length that holds is compared: where `endstream` does not follow the
 * length it gives, readers search for it too.
 */
import { PDFName, PDFNumber, PDFRawStream, PDFRef, type PDFDocument } from 'pdf-lib';
import type { ByteSource } from './byte-source.js';
import type { PdfLibDefinition } from './pdf-lib-definitions.js';
import { PdfLexer } from './pdf-syntax.js';
import { readObjectAt } from './window-parse.js';

/** End-of-line bytes a writer may leave between a stream's data and `endstream` beyond its /Length. */
const EOL_SLACK = 2;

/** The reason, in Norwegian, when pdf-lib ends a stream elsewhere than its /Length; undefined when none does. */
export async function streamEndsDiffer(
  source: ByteSource,
  bytes: Uint8Array,
  doc: PDFDocument,
  kept: ReadonlyMap<string, PdfLibDefinition>,
): Promise<string | undefined> {
  for (const [ref, object] of doc.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFRawStream)) continue;
    const length = object.dict.get(PDFName.of('Length'));
    if (!(length instanceof PDFRef)) continue;
    const resolved = doc.context.lookup(length);
    if (!(resolved instanceof PDFNumber)) continue;
    const n = resolved.asNumber();
    if (Math.abs(object.contents.length - n) <= EOL_SLACK) continue;
    const definition = kept.get(ref.tag);
    if (definition?.kind !== 'plain') continue;
    let streamStart: number | undefined;
    try {
      streamStart = (await readObjectAt(source, definition.at)).streamStart;
    } catch {
      continue;
    }
    if (streamStart === undefined || !Number.isInteger(n) || n < 0 || !endstreamAt(bytes, streamStart + n)) continue;
    return `strømmen i objekt ${ref.objectNumber} ${ref.generationNumber} er ${n} byte etter /Length, men utskriften leser bare ${object.contents.length} av dem, så innholdet vises ulikt i ulike PDF-lesere`;
  }
  return undefined;
}

/** Whether `endstream` follows `offset`, past white space. */
function endstreamAt(bytes: Uint8Array, offset: number): boolean {
  if (offset > bytes.length) return false;
  const lexer = new PdfLexer(bytes, offset);
  lexer.skipSpace();
  return (
    Buffer.from(bytes.buffer, bytes.byteOffset + lexer.pos, Math.min(9, bytes.length - lexer.pos)).toString(
      'latin1',
    ) === 'endstream'
  );
}
