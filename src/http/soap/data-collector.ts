/**
 * Collects one document's `<data>`: inline base64 text is decoded as it arrives and
 * streamed into `BlobStore.put`; an `<xop:Include href="cid:…"/>` is noted for the MTOM
 * part of that Content-ID (docs/interfaces.md §3, §15 points 1–2). Both may occur in one message,
 * one per document.
 */
import { BadRequestError } from '../../domain/errors.js';
import type { BlobRef } from '../../domain/model.js';
import type { BlobStore } from '../../storage/ports.js';
import type { SharedBudget } from '../body-limit.js';
import { Base64Decoder } from './base64-decoder.js';
import { ByteChannel } from './byte-channel.js';
import { normaliseContentId } from './content-type.js';

/** Where a document's bytes are, as far as the envelope tells. */
export type DataSlot =
  | { readonly kind: 'inline'; readonly label: string; readonly blob: Promise<BlobRef> }
  | { readonly kind: 'xop'; readonly label: string; readonly contentId: string; readonly href: string }
  | { readonly kind: 'empty'; readonly label: string };

/** Decodes one `<data>` element's content into the blob store. */
export class DataCollector {
  private readonly decoder: Base64Decoder;
  private channel: ByteChannel | undefined;
  private blob: Promise<BlobRef> | undefined;
  private contentId: string | undefined;
  private href = '';
  private entityCarry = '';

  constructor(
    readonly label: string,
    private readonly blobs: BlobStore,
    maxInlineBytes: number,
    /** The request's documents together (inline and MTOM), when the request counts them. */
    private readonly documents?: SharedBudget,
  ) {
    this.decoder = new Base64Decoder(label, maxInlineBytes);
  }

  /** Character data as the XML parser reports it (entities already resolved). */
  text(text: string): void {
    this.push(this.decoder.write(text));
  }

  /** Decoded bytes: counted toward the request's documents, then on to the blob store. */
  private push(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.documents?.take(bytes.length, `Dokumentene er til sammen for store (ved ${this.label})`);
    this.open().push(bytes);
  }

  /**
   * Raw source text of the element, read past the XML parser to keep memory flat. Only
   * character references (WCF writes `&#xD;` at line ends) and the predefined entities can
   * occur in it; a reference may be split across calls.
   */
  rawText(raw: string): void {
    let t = this.entityCarry + raw;
    this.entityCarry = '';
    const amp = t.lastIndexOf('&');
    if (amp !== -1 && t.indexOf(';', amp) === -1) {
      if (t.length - amp > 12) throw new BadRequestError(`Ugyldig tegnreferanse i ${this.label}`);
      this.entityCarry = t.slice(amp);
      t = t.slice(0, amp);
    }
    if (t.includes('&')) t = t.replace(/&([^;&]*);/g, (_, ref: string) => resolveReference(ref, this.label));
    if (t.includes('&')) throw new BadRequestError(`Ugyldig tegnreferanse i ${this.label}`);
    this.text(t);
  }

  /** The end of a raw stretch: a reference must not be left open. */
  endRaw(): void {
    if (this.entityCarry !== '') throw new BadRequestError(`Ugyldig tegnreferanse i ${this.label}`);
  }

  /** An `<xop:Include>` inside the element. */
  include(href: string | undefined): void {
    if (href === undefined || href.trim() === '') {
      throw new BadRequestError(`xop:Include i ${this.label} mangler href`);
    }
    if (this.contentId !== undefined) throw new BadRequestError(`${this.label} har mer enn én xop:Include`);
    this.href = href.trim();
    this.contentId = normaliseContentId(href);
  }

  /** True when the blob store lags behind and the producer should wait. */
  get full(): boolean {
    return this.channel?.full ?? false;
  }

  /** Waits until the blob store has caught up; throws the store's own error if it failed. */
  async drained(): Promise<void> {
    if (!this.channel || !this.blob) return;
    try {
      await this.channel.drained();
    } catch (err) {
      throw (
        (await this.blob.then(
          () => undefined,
          (e: unknown) => e,
        )) ?? err
      );
    }
  }

  /** The element closed: what the envelope knows about the document's bytes. */
  finish(): DataSlot {
    this.endRaw();
    this.push(this.decoder.end());
    if (this.channel && this.blob) {
      if (this.contentId !== undefined) {
        throw new BadRequestError(`${this.label} har både base64-tekst og xop:Include`);
      }
      this.channel.end();
      return { kind: 'inline', label: this.label, blob: this.blob };
    }
    if (this.contentId !== undefined)
      return { kind: 'xop', label: this.label, contentId: this.contentId, href: this.href };
    return { kind: 'empty', label: this.label };
  }

  /** The request failed: a blob put in progress is aborted (its temp file removed by the store). */
  abort(error: unknown): void {
    this.channel?.abort(error);
  }

  private open(): ByteChannel {
    if (this.channel) return this.channel;
    const channel = new ByteChannel();
    const blob = this.blobs.put(channel);
    // Seen by the producer at its next push or drain; the slot's promise rejects as well.
    blob.catch((err: unknown) => channel.fail(err));
    this.channel = channel;
    this.blob = blob;
    return channel;
  }
}

const PREDEFINED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function resolveReference(ref: string, label: string): string {
  const named = PREDEFINED[ref];
  if (named !== undefined) return named;
  const m = /^#(?:x([0-9a-fA-F]{1,6})|([0-9]{1,7}))$/.exec(ref);
  const code = m ? (m[1] !== undefined ? parseInt(m[1], 16) : Number(m[2])) : NaN;
  if (!Number.isInteger(code) || code > 0x10ffff) {
    throw new BadRequestError(`Ugyldig tegnreferanse «&${ref};» i ${label}`);
  }
  return String.fromCodePoint(code);
}
