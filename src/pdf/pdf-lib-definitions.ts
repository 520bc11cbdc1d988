/**
 * Where pdf-lib took each object from, recorded while it parses: the definition it keeps
 * (the last it met in the file) at the offset its parser found it, or the object stream it
 * came out of. Intake compares these with the definitions readers take by the
 * cross-reference chain (xref-definitions.ts): a file whose two readings differ shows one
 * thing on screen and prints another.
 *
 * Found in a review: searching the bytes for `n g obj` headers, as intake did before, missed
 * a definition whose header has a comment between its numbers (`4 0 %x⏎obj`), which
 * pdf-lib's parser reads as white space; so the check let through a page that printed
 * another text than the one shown. Recording pdf-lib's own parse leaves nothing to guess.
 *
 * Recording is asked for per load (the bytes passed to `loadRecordingDefinitions`); every
 * other load of the thread (compose) runs as before. It wraps three of pdf-lib's methods,
 * on its CommonJS build, which is what Node loads (as pdf-lib-runtime.ts does).
 */
import { PDFContext, PDFDocument, PDFObjectStreamParser, PDFParser, type LoadOptions, type PDFRef } from 'pdf-lib';
import './pdf-lib-runtime.js';

/** Where pdf-lib's definition of an object stands: at a header, or in an object stream's data. */
export type PdfLibDefinition =
  | { readonly num: number; readonly gen: number; readonly kind: 'plain'; readonly at: number }
  | {
      readonly num: number;
      readonly gen: number;
      readonly kind: 'member';
      readonly streamAt: number;
      /** Set when the object stream lists the object more than once (pdf-lib keeps the last). */
      readonly twice?: true;
    };

interface Recording {
  /** The offset of the top-level object being parsed, while it is. */
  at: number | undefined;
  /** True while that object is an object stream whose members are being parsed. */
  inStream: boolean;
  /** The definition pdf-lib keeps of each object (the last one assigned), by its tag. */
  readonly kept: Map<string, PdfLibDefinition>;
}

interface ParserInternals {
  readonly bytes: { readonly bytes: Uint8Array; offset(): number };
  readonly context: PDFContext;
  skipWhitespaceAndComments(): void;
  parseIndirectObject(): Promise<PDFRef>;
  tryToParseInvalidIndirectObject(): PDFRef;
}

/** The bytes whose load records definitions. */
const requested = new WeakSet<Uint8Array>();
const recordings = new WeakMap<PDFContext, Recording>();

/** The recording of this parser's load, when one was asked for. */
function recordingOf(parser: ParserInternals): Recording | undefined {
  if (!requested.has(parser.bytes.bytes)) return undefined;
  let recording = recordings.get(parser.context);
  if (recording === undefined) {
    recording = { at: undefined, inStream: false, kept: new Map() };
    recordings.set(parser.context, recording);
  }
  return recording;
}

const parserPrototype = PDFParser.prototype as unknown as ParserInternals;
const parseIndirectObject = parserPrototype.parseIndirectObject;
const tryToParseInvalidIndirectObject = parserPrototype.tryToParseInvalidIndirectObject;
parserPrototype.parseIndirectObject = async function (this: ParserInternals): Promise<PDFRef> {
  const recording = recordingOf(this);
  if (recording === undefined) return parseIndirectObject.call(this);
  // pdf-lib's header parse starts by skipping these; after it, the header's first digit.
  this.skipWhitespaceAndComments();
  recording.at = this.bytes.offset();
  try {
    return await parseIndirectObject.call(this);
  } finally {
    recording.at = undefined;
  }
};
parserPrototype.tryToParseInvalidIndirectObject = function (this: ParserInternals): PDFRef {
  const recording = recordingOf(this);
  if (recording === undefined) return tryToParseInvalidIndirectObject.call(this);
  this.skipWhitespaceAndComments();
  recording.at = this.bytes.offset();
  try {
    return tryToParseInvalidIndirectObject.call(this);
  } finally {
    recording.at = undefined;
  }
};

interface StreamParserInternals {
  readonly context: PDFContext;
  parseIntoContext(): Promise<void>;
}
const streamParserPrototype = PDFObjectStreamParser.prototype as unknown as StreamParserInternals;
const parseIntoContext = streamParserPrototype.parseIntoContext;
streamParserPrototype.parseIntoContext = async function (this: StreamParserInternals): Promise<void> {
  const recording = recordings.get(this.context);
  if (recording?.at === undefined) return parseIntoContext.call(this);
  recording.inStream = true;
  try {
    return await parseIntoContext.call(this);
  } finally {
    recording.inStream = false;
  }
};

const assign = PDFContext.prototype.assign;
PDFContext.prototype.assign = function (this: PDFContext, ref: PDFRef, object: Parameters<typeof assign>[1]): void {
  const recording = recordings.get(this);
  const at = recording?.at;
  if (recording !== undefined && at !== undefined) {
    const { objectNumber: num, generationNumber: gen } = ref;
    const before = recording.kept.get(ref.tag);
    const twice = recording.inStream && before?.kind === 'member' && before.streamAt === at;
    recording.kept.set(
      ref.tag,
      recording.inStream
        ? { num, gen, kind: 'member', streamAt: at, ...(twice ? { twice: true as const } : {}) }
        : { num, gen, kind: 'plain', at },
    );
  }
  assign.call(this, ref, object);
};

/** Loads `bytes` with pdf-lib and says where it took each object from. */
export async function loadRecordingDefinitions(
  bytes: Uint8Array,
  options: LoadOptions,
): Promise<{ readonly doc: PDFDocument; readonly definitions: ReadonlyMap<string, PdfLibDefinition> }> {
  requested.add(bytes);
  try {
    const doc = await PDFDocument.load(bytes, options);
    return { doc, definitions: recordings.get(doc.context)?.kept ?? new Map() };
  } finally {
    requested.delete(bytes);
  }
}
