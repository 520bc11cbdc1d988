/**
 * Limits that keep a hostile or broken request from costing unbounded memory or time.
 * Each refusal is a SOAP fault naming the limit (docs/interfaces.md §15 point 11: real bodies run to
 * several hundred MB, so the byte limits are generous and the XML limits are tight).
 */

/** Limits of one SOAP request. */
export interface SoapLimits {
  /** Whole HTTP body in bytes (MTOM parts included). */
  readonly maxBodyBytes: number;
  /** Decoded bytes of one inline base64 `<data>` element (also counted in maxAttachmentBytes). */
  readonly maxInlineBase64Bytes: number;
  /**
   * Bytes of one request's documents together (so also of each): MTOM/XOP attachment parts
   * and decoded inline base64 alike, the forsendelse limit (MAX_FORSENDELSE_BYTES).
   */
  readonly maxAttachmentBytes: number;
  /** Characters of the XML envelope handed to the XML parser (inline base64 data excluded). */
  readonly maxXmlChars: number;
  /** Characters of one text node, attribute list, comment or name. */
  readonly maxTextChars: number;
  /** Element nesting depth. */
  readonly maxDepth: number;
  /** Elements in the envelope. */
  readonly maxElements: number;
  /** MIME parts of a multipart/related body. */
  readonly maxParts: number;
  /** Bytes of one MIME part's header block. */
  readonly maxPartHeaderBytes: number;
}

const MIB = 1024 * 1024;

/**
 * Defaults: the documents of one request together, inline or MTOM, up to SvarUt's print
 * limit (350 MB read as MiB, docs/interfaces.md §8), the body that plus a third (inline
 * base64) and the envelope. An inline document may be as large as the limit: the Node client
 * and SOAP::Lite send nothing else (docs/interfaces.md §16), and it is decoded into the blob
 * store while it streams, so memory stays flat (bench/soap-inline-memory.ts). Tight XML.
 */
export const DEFAULT_SOAP_LIMITS: SoapLimits = {
  maxBodyBytes: Math.ceil((350 * MIB * 4) / 3) + 16 * MIB,
  maxInlineBase64Bytes: 350 * MIB,
  maxAttachmentBytes: 350 * MIB,
  maxXmlChars: 16 * MIB,
  maxTextChars: 1 * MIB,
  maxDepth: 32,
  maxElements: 50_000,
  maxParts: 1_000,
  maxPartHeaderBytes: 16 * 1024,
};
