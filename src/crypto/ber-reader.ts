import * as asn1js from 'asn1js';
import { CmsError } from './cms-error.js';

/** Longest element (outside the encrypted content) read whole: recipient infos, algorithm parameters. */
const MAX_WHOLE_ELEMENT = 4 * 1024 * 1024;
/** Identifier plus length octets: tag numbers above 2^28 and lengths above 2^64 are refused anyway. */
const MAX_HEADER = 16;

/** Tag and length of one BER element, read with asn1js's identifier and length blocks. */
export interface BerHeader {
  readonly tagClass: number;
  readonly tagNumber: number;
  readonly constructed: boolean;
  /** Content length in bytes; null for the indefinite form (ends with an end-of-contents element). */
  readonly length: number | null;
  readonly headerLength: number;
}

/**
 * Pulls bytes from an async source on demand, so a CMS message is read element by element
 * and the encrypted content can be passed on in pieces without holding the whole message.
 */
export class BerStreamReader {
  private chunks: Buffer[] = [];
  private available = 0;
  private ended = false;
  /** Bytes consumed so far (absolute offset in the message). */
  position = 0;

  constructor(private readonly source: AsyncIterator<Uint8Array>) {}

  /** Reads until at least `n` bytes are buffered or the source ends; true when there are `n`. */
  async fill(n: number): Promise<boolean> {
    while (this.available < n && !this.ended) {
      const next = await this.source.next();
      if (next.done === true) {
        this.ended = true;
        break;
      }
      if (next.value.byteLength === 0) continue;
      const chunk = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
      this.chunks.push(chunk);
      this.available += chunk.length;
    }
    return this.available >= n;
  }

  /** True when the source has ended and every byte was consumed. */
  async atEnd(): Promise<boolean> {
    return !(await this.fill(1));
  }

  private peek(n: number): Buffer {
    const first = this.chunks[0];
    if (first !== undefined && first.length >= n) return first.subarray(0, n);
    const joined = Buffer.concat(this.chunks, this.available);
    this.chunks = [joined];
    return joined.subarray(0, n);
  }

  private take(n: number): Buffer {
    const bytes = Buffer.from(this.peek(n));
    this.skip(n);
    return bytes;
  }

  private skip(n: number): void {
    let left = n;
    while (left > 0) {
      const first = this.chunks[0];
      if (first === undefined) throw new Error('skip past buffered bytes');
      if (first.length <= left) {
        this.chunks.shift();
        left -= first.length;
      } else {
        this.chunks[0] = first.subarray(left);
        left = 0;
      }
    }
    this.available -= n;
    this.position += n;
  }

  /** Decodes the next element's identifier and length without consuming it. */
  async peekHeader(): Promise<BerHeader> {
    await this.fill(MAX_HEADER);
    if (this.available === 0) throw new CmsError('truncated', 'the message ends where an element was expected');
    const view = new Uint8Array(this.peek(Math.min(this.available, MAX_HEADER)));
    const block = new asn1js.BaseBlock();
    const afterId = block.idBlock.fromBER(view, 0, view.length);
    const afterLength = afterId === -1 ? -1 : block.lenBlock.fromBER(view, afterId, view.length - afterId);
    if (afterId === -1 || afterLength === -1) {
      if (this.ended && this.available < MAX_HEADER) {
        throw new CmsError('truncated', 'the message ends inside an element header');
      }
      throw new CmsError('malformed', 'not a BER element where one was expected');
    }
    const indefinite = block.lenBlock.isIndefiniteForm;
    if (indefinite && !block.idBlock.isConstructed) {
      throw new CmsError('malformed', 'a primitive element with indefinite length');
    }
    return {
      tagClass: block.idBlock.tagClass,
      tagNumber: block.idBlock.tagNumber,
      constructed: block.idBlock.isConstructed,
      length: indefinite ? null : block.lenBlock.length,
      headerLength: afterLength,
    };
  }

  /** Consumes the next element's identifier and length (the content follows). */
  async readHeader(): Promise<BerHeader> {
    const header = await this.peekHeader();
    this.skip(header.headerLength);
    return header;
  }

  /** Consumes one complete element (definite or indefinite length) and decodes it with asn1js. */
  async readElement(): Promise<asn1js.AsnType> {
    const header = await this.peekHeader();
    if (header.length !== null) {
      const total = header.headerLength + header.length;
      if (total > MAX_WHOLE_ELEMENT) throw new CmsError('malformed', 'an element in the CMS header is too large');
      if (!(await this.fill(total))) throw new CmsError('truncated', 'the message ends inside an element');
      return decodeExactly(this.take(total));
    }
    // Indefinite length: buffer more until asn1js finds the matching end-of-contents.
    let want = Math.max(this.available, 1024);
    for (;;) {
      const enough = await this.fill(want);
      const bytes = this.peek(Math.min(this.available, MAX_WHOLE_ELEMENT));
      const decoded = asn1js.fromBER(new Uint8Array(bytes));
      if (decoded.offset !== -1 && decoded.result.error === '') {
        this.skip(decoded.offset);
        return decoded.result;
      }
      // asn1js stops at its own nesting bound: more bytes will not help, and it is no cut-off message.
      if (/nesting depth/i.test(decoded.result.error))
        throw new CmsError('malformed', 'an element in the CMS header is nested too deeply');
      if (!enough) throw new CmsError('truncated', 'the message ends inside an element');
      if (want >= MAX_WHOLE_ELEMENT) throw new CmsError('malformed', 'an element in the CMS header is too large');
      want = Math.min(want * 4, MAX_WHOLE_ELEMENT);
    }
  }

  /** Passes on the next `n` bytes in the pieces they arrive in. */
  async *readContent(n: number): AsyncGenerator<Buffer> {
    let left = n;
    while (left > 0) {
      if (this.available === 0 && !(await this.fill(1))) {
        throw new CmsError('truncated', 'the message ends inside the encrypted content');
      }
      const first = this.chunks[0];
      if (first === undefined) throw new Error('buffer empty after fill');
      const piece = first.subarray(0, Math.min(first.length, left));
      this.skip(piece.length);
      left -= piece.length;
      yield piece;
    }
  }
}

function decodeExactly(bytes: Buffer): asn1js.AsnType {
  const decoded = asn1js.fromBER(new Uint8Array(bytes));
  if (decoded.offset === -1 || decoded.result.error !== '') {
    throw new CmsError('malformed', `an element could not be decoded (${decoded.result.error})`);
  }
  return decoded.result;
}
