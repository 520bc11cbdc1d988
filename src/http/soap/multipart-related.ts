/**
 * Streaming reader of a `multipart/related` (MTOM/XOP) body, RFC 2046 / RFC 2387.
 * Parts are read one after the other straight from the network: a part's bytes are
 * yielded as they arrive and never collected, so a 300 MB attachment costs a few
 * chunks of memory (docs/interfaces.md §15 points 1 and 11). CRLF and bare-LF line ends are both
 * accepted, as is a body that starts directly with the first delimiter.
 */
import { BadRequestError } from '../../domain/errors.js';
import { normaliseContentId } from './content-type.js';

/** The part headers this reader's callers act on: each may be sent once. */
const ONCE_ONLY = new Set(['content-id', 'content-type', 'content-transfer-encoding']);
/** One MIME part. Read `body` to the end (or not at all) before asking for the next part. */
export interface MimePart {
  /** Header values by lower-cased name. */
  readonly headers: ReadonlyMap<string, string>;
  /** Content-ID without `<>`, percent-decoded; undefined when absent. */
  readonly contentId: string | undefined;
  readonly body: AsyncIterable<Uint8Array>;
}

/** Limits of the MIME structure. */
export interface MultipartLimits {
  readonly maxParts: number;
  readonly maxPartHeaderBytes: number;
}

const CR = 0x0d;
const LF = 0x0a;

/** Reads the parts of one multipart body in order. */
export class MultipartRelatedReader {
  private buf: Buffer;
  private sourceDone = false;
  private started = false;
  private finished = false;
  private partOpen = false;
  private parts = 0;
  private readonly delimiter: Buffer;

  constructor(
    private readonly source: AsyncIterator<Uint8Array>,
    boundary: string,
    private readonly limits: MultipartLimits,
  ) {
    if (boundary === '' || boundary.length > 200) {
      throw new BadRequestError('Ugyldig multipart/related: boundary-parameteren mangler eller er for lang');
    }
    this.delimiter = Buffer.from(`\n--${boundary}`, 'latin1');
    // A virtual line end lets the first delimiter be found like every other one.
    this.buf = Buffer.from('\r\n', 'latin1');
  }

  /** The next part, or undefined after the closing delimiter. Skips what is left of the previous part. */
  async nextPart(): Promise<MimePart | undefined> {
    while (this.partOpen) await this.readBodyChunk();
    if (this.finished) return undefined;
    if (!this.started) {
      await this.skipPreamble();
      this.started = true;
    }
    // After a delimiter: "--" closes the body; otherwise transport padding, then a line end.
    await this.ensure(2);
    if (this.buf[0] === 0x2d && this.buf[1] === 0x2d) {
      this.finished = true;
      return undefined;
    }
    const eol = await this.findLineEnd(0);
    this.buf = this.buf.subarray(eol + 1);
    if (++this.parts > this.limits.maxParts) {
      throw new BadRequestError(`For mange MIME-deler i multipart/related (mer enn ${this.limits.maxParts})`);
    }
    const headers = await this.readHeaders();
    this.partOpen = true;
    const contentIdHeader = headers.get('content-id');
    return {
      headers,
      contentId: contentIdHeader === undefined ? undefined : normaliseContentId(contentIdHeader),
      body: { [Symbol.asyncIterator]: () => this.bodyIterator() },
    };
  }

  private bodyIterator(): AsyncIterator<Uint8Array> {
    return {
      next: async (): Promise<IteratorResult<Uint8Array>> => {
        const chunk = await this.readBodyChunk();
        return chunk === undefined ? { done: true, value: undefined } : { done: false, value: chunk };
      },
      // Stopping early leaves the rest for nextPart() to skip.
      return: async (): Promise<IteratorResult<Uint8Array>> => ({ done: true, value: undefined }),
    };
  }

  /** The next bytes of the open part, or undefined at its end. */
  private async readBodyChunk(): Promise<Uint8Array | undefined> {
    while (this.partOpen) {
      const at = this.buf.indexOf(this.delimiter);
      if (at !== -1) {
        const end = at > 0 && this.buf[at - 1] === CR ? at - 1 : at;
        const out = this.buf.subarray(0, end);
        this.buf = this.buf.subarray(at + this.delimiter.length);
        this.partOpen = false;
        return out.length > 0 ? out : undefined;
      }
      // Keep back what could be the start of a delimiter (and the CR before it).
      const keep = this.delimiter.length + 1;
      if (this.buf.length > keep) {
        const out = this.buf.subarray(0, this.buf.length - keep);
        this.buf = this.buf.subarray(this.buf.length - keep);
        return out;
      }
      if (!(await this.fill())) {
        throw new BadRequestError('Ufullstendig multipart/related: meldingen slutter midt i en MIME-del');
      }
    }
    return undefined;
  }

  private async skipPreamble(): Promise<void> {
    for (;;) {
      const at = this.buf.indexOf(this.delimiter);
      if (at !== -1) {
        this.buf = this.buf.subarray(at + this.delimiter.length);
        return;
      }
      if (this.buf.length > this.limits.maxPartHeaderBytes) {
        throw new BadRequestError(
          'Ugyldig multipart/related: fant ikke første boundary (er boundary-parameteren riktig?)',
        );
      }
      if (!(await this.fill())) {
        throw new BadRequestError(
          'Ugyldig multipart/related: fant ikke første boundary (er boundary-parameteren riktig?)',
        );
      }
    }
  }

  private async readHeaders(): Promise<Map<string, string>> {
    const headers = new Map<string, string>();
    let last: string | undefined;
    let total = 0;
    for (;;) {
      const eol = await this.findLineEnd(0);
      total += eol + 1;
      if (total > this.limits.maxPartHeaderBytes) {
        throw new BadRequestError(
          `For store MIME-headere i multipart/related (over ${this.limits.maxPartHeaderBytes} byte)`,
        );
      }
      const line = this.buf.toString('utf8', 0, eol > 0 && this.buf[eol - 1] === CR ? eol - 1 : eol);
      this.buf = this.buf.subarray(eol + 1);
      if (line === '') return headers;
      if ((line.startsWith(' ') || line.startsWith('\t')) && last !== undefined) {
        headers.set(last, `${headers.get(last) ?? ''} ${line.trim()}`);
        continue;
      }
      const colon = line.indexOf(':');
      if (colon <= 0) throw new BadRequestError(`Ugyldig MIME-header i multipart/related: «${line.slice(0, 80)}»`);
      last = line.slice(0, colon).trim().toLowerCase();
      // Which of two Content-IDs an xop:Include names, or which of two types a part has, cannot
      // be told: a proxy may read the last where this reads the first (found in review).
      if (headers.has(last) && ONCE_ONLY.has(last)) {
        throw new BadRequestError(
          `Ugyldig multipart/related: en MIME-del har «${line.slice(0, colon).trim()}» mer enn én gang, så den kan leses på to måter`,
        );
      }
      if (!headers.has(last)) headers.set(last, line.slice(colon + 1).trim());
    }
  }

  /** Index of the next LF at or after `from`, reading more as needed, within the header limit. */
  private async findLineEnd(from: number): Promise<number> {
    let scanFrom = from;
    for (;;) {
      const at = this.buf.indexOf(LF, scanFrom);
      if (at !== -1) return at;
      scanFrom = this.buf.length;
      if (this.buf.length > this.limits.maxPartHeaderBytes) {
        throw new BadRequestError(
          `For store MIME-headere i multipart/related (over ${this.limits.maxPartHeaderBytes} byte)`,
        );
      }
      if (!(await this.fill())) {
        throw new BadRequestError('Ufullstendig multipart/related: meldingen slutter i en MIME-header');
      }
    }
  }

  private async ensure(n: number): Promise<void> {
    while (this.buf.length < n) {
      if (!(await this.fill())) {
        throw new BadRequestError('Ufullstendig multipart/related: mangler avsluttende boundary');
      }
    }
  }

  private async fill(): Promise<boolean> {
    if (this.sourceDone) return false;
    const r = await this.source.next();
    if (r.done === true) {
      this.sourceDone = true;
      return false;
    }
    const chunk = Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength);
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    return true;
  }
}
