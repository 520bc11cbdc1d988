/**
 * Streaming reader of a SOAP envelope on saxes.
 *
 * Why not the `soap` package's server: it buffers the whole request as one string, has
 * no server-side MTOM, validates nothing against limits and binds strictly — while
 * docs/interfaces.md §15 asks for bodies of hundreds of MB, XOP parts, lenient binding and any
 * element order. So the door reads the envelope itself, safely:
 * - a DOCTYPE is refused at once (SOAP forbids DTDs), so no entity can be declared;
 *   saxes knows only the five predefined entities and character references and fails on
 *   any other reference, and never fetches anything external;
 * - depth, element count, total size and the length of every text, name, comment and
 *   attribute list are bounded (the latter by how far the parser has read since its
 *   last event, which is exactly what saxes holds in memory);
 * - the base64 text of a document's `<data>` bypasses the parser: right after the start
 *   tag the raw text is decoded slice by slice into the blob store, so memory stays flat
 *   however large the document (saxes would otherwise collect the whole text first);
 * - the envelope's cardinality (one Header, one Body, one operation, at most 100 documents)
 *   is checked as elements open (envelope-structure.ts): nothing more is parsed or stored
 *   for a request that cannot be taken. The rest of maxOccurs=1 is `child`'s to check.
 */
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { BadRequestError, BudbringerError, PayloadTooLargeError } from '../../domain/errors.js';
import type { SharedBudget } from '../body-limit.js';
import type { BlobStore } from '../../storage/ports.js';
import { formatBytes } from './base64-decoder.js';
import { DataCollector, type DataSlot } from './data-collector.js';
import type { SoapLimits } from './limits.js';
import { declaredEncoding, singleByteDecoder, type SingleByteDecoder } from './single-byte-charset.js';
import { envelopeNamespace, SOAP11_NS, SOAP12_NS, XOP_NS, type SoapVersion } from './namespaces.js';
import { EnvelopeStructure } from './envelope-structure.js';
import { checkHeaderBlock } from './header-blocks.js';
import { SoapVersionMismatchError } from './soap-fault.js';
import { SNIFF_CHARS, sniffEnvelopeVersion } from './version-sniff.js';
import { firstInvalidUtf8, whereInvalid } from '../utf8.js';
import { elementOf, elementPath, type XmlElement } from './xml-element.js';
import { saxesMessage } from './xml-errors.js';

/** How much of the start is kept to read the XML declaration's encoding from. */
const DECLARATION_BYTES = 256;

/** What the envelope says: its SOAP version, the Body's operation element, the documents' bytes. */
export interface ParsedEnvelope {
  readonly version: SoapVersion;
  readonly operation: XmlElement;
  readonly dataSlots: readonly DataSlot[];
}

// A start tag whose local name is `data` (any prefix): where raw base64 may begin.
const DATA_START_TAG = /<(?:[A-Za-z_][\w.-]*:)?data(?=[\s/>])/g;
// How much of an unfinished tag at a chunk's end is held back to find `<data` next time.
const MAX_CARRY = 4096;

/** Marks a position in the element stack that is read but not kept (header blocks, unknown Envelope children). */
const SKIPPED = null;
type Frame = XmlElement | typeof SKIPPED | 'envelope' | 'header' | 'body';

/** Reads one envelope from a byte stream; one instance per request. */
export class EnvelopeReader {
  private readonly parser = new SaxesParser({ xmlns: true, position: true });
  private readonly stack: Frame[] = [];
  private readonly slots: DataSlot[] = [];
  private readonly collectors = new Set<DataCollector>();
  private version: SoapVersion | undefined;
  private operation: XmlElement | undefined;
  private elements = 0;
  private readonly structure = new EnvelopeStructure();
  /** The start of the text, to find the envelope's namespace in should it be refused before its root. */
  private head = '';
  /** Characters handed to saxes; after a write() it has consumed them all (its `position` reads ahead then). */
  private xmlChars = 0;
  private lastEventAt = 0;
  private blank = true;
  private collector: { node: XmlElement; data: DataCollector } | undefined;
  private dataOpenedAt = -1;
  private bypass = false;
  /** Set when the current <data> element's text reaches the parser in a CDATA section. */
  private cdataInData = false;
  private carry = '';

  constructor(
    private readonly blobs: BlobStore,
    private readonly limits: SoapLimits,
    /** Told the SOAP version as soon as the root element is read, to fault in that version. */
    private readonly onVersion: (version: SoapVersion) => void = () => {},
    /** The request's documents together (inline and MTOM); inline `<data>` is counted as it is decoded. */
    private readonly documents?: SharedBudget,
  ) {
    const p = this.parser;
    p.on('doctype', () => {
      throw new BadRequestError('XML med DOCTYPE (DTD) avvises: SOAP-meldinger kan ikke ha DTD');
    });
    p.on('xmldecl', (decl) => {
      this.event();
      const enc = decl.encoding?.toLowerCase();
      // A single-byte charset reads as declared (read() chose the decoding from the bytes).
      if (enc !== undefined && enc !== 'utf-8' && enc !== 'utf8' && singleByteDecoder(enc) === undefined) {
        throw new BadRequestError(`Tegnsettet «${decl.encoding ?? ''}» støttes ikke; send meldingen som UTF-8`);
      }
    });
    p.on('opentag', (tag) => this.openTag(tag));
    p.on('closetag', () => this.closeTag());
    p.on('text', (text) => this.characters(text));
    p.on('cdata', (text) => this.characters(text));
    p.on('comment', () => this.event());
    p.on('processinginstruction', () => this.event());
  }

  /**
   * Reads the whole stream and returns the envelope; inline documents are being stored
   * meanwhile. UTF-8, or a single-byte charset the XML declaration or else `labelled` (the
   * Content-Type's charset) names, when the bytes are not UTF-8 and all before the first
   * that is not were ASCII, so both readings agree up to there (single-byte-charset.ts).
   */
  async read(source: AsyncIterable<Uint8Array>, labelled?: string): Promise<ParsedEnvelope> {
    const utf8 = new TextDecoder('utf-8', { fatal: true });
    let offset = 0;
    let singleByte: SingleByteDecoder | undefined;
    let asciiSoFar = true;
    // The bytes ending the last chunk that the UTF-8 decoder holds (a sequence split, or a
    // Latin-1 letter that starts like one): given to the single-byte reading should it start.
    let held: Uint8Array = new Uint8Array(0);
    let start: Uint8Array = new Uint8Array(0);
    const fallBack = (error: unknown, bytes: Uint8Array): string => {
      const all = held.length === 0 ? bytes : Buffer.concat([held, bytes]);
      const bad = firstInvalidUtf8(all);
      const before = all.subarray(0, bad < 0 ? all.length : bad);
      singleByte =
        asciiSoFar && before.every((b) => b < 0x80)
          ? singleByteDecoder(declaredEncoding(start) ?? labelled)
          : undefined;
      if (singleByte === undefined) throw error;
      return singleByte(all);
    };
    try {
      for await (const bytes of source) {
        if (start.length < DECLARATION_BYTES) start = Buffer.concat([start, bytes.subarray(0, DECLARATION_BYTES)]);
        let text: string;
        if (singleByte !== undefined) text = singleByte(bytes);
        else {
          const head = this.head;
          try {
            text = this.decodeUtf8(utf8, bytes, offset);
            if (/[^\x00-\x7f]/.test(text)) asciiSoFar = false;
            held = heldAtEnd(held, bytes);
          } catch (error) {
            // decodeUtf8 sniffed the chunk leniently into the head for the fault's version:
            // kept when the message is refused, dropped when it reads in a single-byte charset.
            const sniffed = this.head;
            this.head = head;
            try {
              text = fallBack(error, bytes);
            } catch (refused) {
              this.head = sniffed;
              throw refused;
            }
          }
        }
        offset += bytes.length;
        if (this.head.length < SNIFF_CHARS) this.head += text.slice(0, SNIFF_CHARS - this.head.length);
        await this.feed(text, false);
      }
      let last = '';
      if (singleByte === undefined) {
        try {
          last = this.decodeUtf8(utf8, undefined, offset);
        } catch (error) {
          last = fallBack(error, new Uint8Array(0));
        }
      }
      await this.feed(last, true);
      if (this.bypass) throw new BadRequestError('Ufullstendig XML: meldingen slutter inne i et <data>-element');
      if (this.version === undefined && this.blank)
        throw new BadRequestError('Tom melding: forventet en SOAP Envelope');
      this.write(() => this.parser.close());
      if (this.version === undefined) throw new BadRequestError('Tom melding: forventet en SOAP Envelope');
      if (this.operation === undefined) {
        throw new BadRequestError('SOAP Body mangler: fant ingen operasjon i meldingen');
      }
      return { version: this.version, operation: this.operation, dataSlots: this.slots };
    } catch (err) {
      for (const c of this.collectors) c.abort(err);
      // Documents already read are still being stored: the intake lease must see them all
      // when the fault releases it, or they outlive the refused request.
      await Promise.allSettled(this.slots.flatMap((s) => (s.kind === 'inline' ? [s.blob] : [])));
      const sniffed = this.version === undefined ? sniffEnvelopeVersion(this.head) : undefined;
      if (sniffed !== undefined) this.onVersion(sniffed);
      throw err;
    }
  }

  /**
   * The next chunk decoded (`bytes` undefined: the end). Malformed UTF-8 is refused saying at
   * which byte; the fault then still answers in the envelope's SOAP version, sniffed from
   * the chunk read leniently (a bad byte in the first chunk left nothing to sniff, and the
   * fault came in the version of the Content-Type: found in review).
   */
  private decodeUtf8(decoder: TextDecoder, bytes: Uint8Array | undefined, offset: number): string {
    try {
      return bytes === undefined ? decoder.decode() : decoder.decode(bytes, { stream: true });
    } catch {
      if (bytes !== undefined && this.head.length < SNIFF_CHARS)
        this.head += new TextDecoder().decode(bytes).slice(0, SNIFF_CHARS - this.head.length);
      const skip = bytes === undefined ? 0 : continuationsAtStart(bytes);
      const at = bytes === undefined ? -1 : firstInvalidUtf8(bytes.subarray(skip));
      throw new BadRequestError(`Meldingen er ikke gyldig UTF-8${whereInvalid(at < 0 ? -1 : offset + skip + at)}`);
    }
  }

  /** Feeds decoded text, splitting it so that the raw text after each `<data>` tag can be bypassed. */
  private async feed(text: string, final: boolean): Promise<void> {
    const s = this.carry + text;
    this.carry = '';
    let pos = 0;
    while (pos < s.length) {
      if (this.bypass && this.collector) {
        const lt = s.indexOf('<', pos);
        const end = lt === -1 ? s.length : lt;
        this.collector.data.rawText(s.slice(pos, end));
        pos = end;
        if (lt !== -1) {
          this.collector.data.endRaw();
          this.bypass = false;
        }
        await this.backpressure();
        continue;
      }
      // Next stop: just after the next `<data …>` start tag, else the end of the text; an
      // unfinished tag at the end (maybe a `<data` split across chunks) waits for more text.
      let end = s.length;
      let hold = false;
      DATA_START_TAG.lastIndex = pos;
      const m = DATA_START_TAG.exec(s);
      if (m) {
        const gt = s.indexOf('>', m.index);
        if (gt !== -1) end = gt + 1;
        else if (!final && s.length - m.index <= MAX_CARRY) [end, hold] = [m.index, true];
      } else if (!final) {
        const lt = s.lastIndexOf('<');
        if (lt >= pos && s.length - lt <= MAX_CARRY && s.indexOf('>', lt) === -1) [end, hold] = [lt, true];
      }
      if (end > pos) {
        const piece = s.slice(pos, end);
        if (this.blank && piece.trim() !== '') this.blank = false;
        if (this.collector && piece.includes('<![CDATA[')) this.cdataInData = true;
        this.write(() => this.parser.write(piece), piece.length);
      }
      pos = end;
      if (hold) {
        this.carry = s.slice(end);
        return;
      }
      // Bypass only when the parser stopped right at the end of the `<data>` start tag, so
      // it holds none of the text: otherwise the text keeps flowing through its events.
      if (this.dataOpenedAt === this.xmlChars && this.collector) this.bypass = true;
      this.dataOpenedAt = -1;
      await this.backpressure();
    }
  }

  /** Runs one parser call, enforcing the size limits and translating saxes' errors. */
  private write(call: () => void, chars = 0): void {
    this.xmlChars += chars;
    if (this.xmlChars > this.limits.maxXmlChars) {
      throw new PayloadTooLargeError(
        this.collector && this.cdataInData
          ? this.inParsedDataMessage()
          : `SOAP-konvolutten er større enn ${formatBytes(this.limits.maxXmlChars)} (utenom dokumentdata)`,
      );
    }
    try {
      call();
    } catch (err) {
      if (err instanceof BudbringerError) throw err;
      throw new BadRequestError(`Ugyldig XML: ${saxesMessage(err)}`);
    }
    // What saxes has read since its last event is what it holds in memory (text, a tag, a comment).
    // (`position` is exact inside event handlers; between writes we count ourselves.)
    const pending = this.xmlChars - this.lastEventAt;
    // Base64 the parser sees itself (a prefixed <data>, CDATA) is bounded by the envelope limit.
    const max = this.collector ? this.limits.maxXmlChars : this.limits.maxTextChars;
    if (pending > max) {
      throw new PayloadTooLargeError(
        this.collector && this.cdataInData
          ? this.inParsedDataMessage()
          : `XML-en har en tekst, kommentar, tagg eller attributtliste på over ${max} tegn${this.whereOpen()}`,
      );
    }
  }

  /** Where the parser is, for a refusal: " inne i <forsendelse/tittel>", or nothing outside the operation. */
  private whereOpen(): string {
    const top = [...this.stack]
      .reverse()
      .find((frame): frame is XmlElement => typeof frame === 'object' && frame !== null);
    const path: string[] = [];
    for (let el: XmlElement | undefined = top; el !== undefined; el = el.parent) path.unshift(el.local);
    return path.length === 0 ? '' : ` inne i <${path.join('/')}>`;
  }

  /**
   * Document data the parser reads itself (inside a CDATA section) is counted with the
   * envelope, not streamed past it as plain base64 text in <data> is: said as such, not as an
   * envelope too large "utenom dokumentdata".
   */
  private inParsedDataMessage(): string {
    return (
      `Dokumentdata i en CDATA-seksjon leses som en del av SOAP-konvolutten, som kan være høyst ` +
      `${formatBytes(this.limits.maxXmlChars)}; send dokumentet som base64-tekst rett i <data> eller som MTOM-vedlegg`
    );
  }

  private async backpressure(): Promise<void> {
    const data = this.collector?.data;
    if (data?.full) await data.drained();
  }

  private event(): void {
    this.lastEventAt = this.parser.position;
  }

  private openTag(tag: SaxesTagNS): void {
    this.event();
    const depth = this.stack.length + 1;
    if (depth > this.limits.maxDepth) {
      throw new BadRequestError(`XML-en er nestet dypere enn ${this.limits.maxDepth} nivåer`);
    }
    if (++this.elements > this.limits.maxElements) {
      throw new BadRequestError(`XML-en har flere enn ${this.limits.maxElements} elementer`);
    }
    const uri = tag.uri ?? '';
    if (depth === 1) {
      if (tag.local !== 'Envelope') {
        throw new BadRequestError(`Ikke en SOAP-melding: rotelementet er «${tag.name}», forventet Envelope`);
      }
      if (uri !== SOAP11_NS && uri !== SOAP12_NS) throw new SoapVersionMismatchError(uri);
      this.version = uri === SOAP11_NS ? '1.1' : '1.2';
      this.onVersion(this.version);
      this.stack.push('envelope');
      return;
    }
    const parent = this.stack[this.stack.length - 1];
    if (parent === 'envelope') {
      this.stack.push(this.envelopePart(tag, uri));
      return;
    }
    if (parent === 'header') {
      // Header blocks are read and ignored (docs/interfaces.md §15 point 3), unless one must be
      // understood and is not (header-blocks.ts).
      checkHeaderBlock(tag, this.version ?? '1.2');
      this.stack.push(SKIPPED);
      return;
    }
    if (parent === 'body') {
      this.structure.bodyElement(this.operation, tag.name);
      this.operation = elementOf(tag, undefined, (prefix) => this.parser.resolve(prefix));
      this.stack.push(this.operation);
      return;
    }
    if (parent === SKIPPED || parent === undefined) {
      this.stack.push(SKIPPED);
      return;
    }
    if (this.collector && this.collector.node === parent) {
      // Base64 or one xop:Include; the text of any other element would be dropped from the document.
      if (tag.local !== 'Include' || uri !== XOP_NS)
        throw new BadRequestError(`${elementPath(parent)} kan ikke inneholde elementet «${tag.name}»`);
      this.collector.data.include(tag.attributes.href?.value);
      this.stack.push(SKIPPED);
      return;
    }
    const el = elementOf(tag, parent, (prefix) => this.parser.resolve(prefix));
    parent.children.push(el);
    this.stack.push(el);
    if (el.local === 'dokumenter') this.structure.document(parent);
    if (el.local === 'data' && parent.local === 'dokumenter' && !el.nil) {
      const index = this.structure.lastDocumentIndex(parent.parent);
      const data = new DataCollector(
        `dokumenter[${index}].data`,
        this.blobs,
        this.limits.maxInlineBase64Bytes,
        this.documents,
      );
      this.collector = { node: el, data };
      this.collectors.add(data);
      if (!tag.isSelfClosing) this.dataOpenedAt = this.parser.position;
    }
  }

  /** Header or Body (each once, in the envelope's namespace); anything else there is skipped. */
  private envelopePart(tag: SaxesTagNS, uri: string): Frame {
    if (uri !== envelopeNamespace(this.version ?? '1.2') || (tag.local !== 'Header' && tag.local !== 'Body'))
      return SKIPPED;
    this.structure.envelopePart(tag.local);
    return tag.local === 'Header' ? 'header' : 'body';
  }

  private closeTag(): void {
    this.event();
    this.dataOpenedAt = -1;
    const frame = this.stack.pop();
    if (this.collector && frame === this.collector.node) {
      const { node, data } = this.collector;
      this.collector = undefined;
      this.cdataInData = false;
      node.dataSlot = this.slots.length;
      this.slots.push(data.finish());
      this.collectors.delete(data);
    }
  }

  private characters(text: string): void {
    this.event();
    const top = this.stack[this.stack.length - 1];
    if (top === undefined || top === null || typeof top === 'string') return;
    if (this.collector && this.collector.node === top) {
      this.collector.data.text(text);
      return;
    }
    top.text += text;
    if (top.text.length > this.limits.maxTextChars) {
      throw new PayloadTooLargeError(`Teksten i <${top.local}> er lengre enn ${this.limits.maxTextChars} tegn`);
    }
  }
}

/** Continuation bytes at a chunk's start that may end a sequence the chunk before began. */
function continuationsAtStart(bytes: Uint8Array): number {
  let n = 0;
  while (n < 3 && n < bytes.length && ((bytes[n] as number) & 0xc0) === 0x80) n += 1;
  return n;
}

/**
 * The bytes at the end of `held` + `bytes` that start a UTF-8 sequence not yet complete (the
 * decoder holds them until the next chunk); none when it ends on a whole character.
 */
function heldAtEnd(held: Uint8Array, bytes: Uint8Array): Uint8Array {
  const tail = Buffer.concat([held, bytes.subarray(Math.max(0, bytes.length - 3))]);
  let k = 0;
  while (k < 3 && k < tail.length && ((tail[tail.length - 1 - k] as number) & 0xc0) === 0x80) k += 1;
  const lead = tail[tail.length - 1 - k];
  if (lead === undefined || lead < 0xc0) return new Uint8Array(0);
  const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
  return length > k + 1 ? tail.subarray(tail.length - 1 - k) : new Uint8Array(0);
}
