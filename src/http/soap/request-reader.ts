/**
 * Reads a SOAP request body of any of the three shapes real clients send (docs/interfaces.md §3):
 * a plain XML envelope (inline base64), or `multipart/related` MTOM/XOP whose root part
 * is the envelope and whose other parts are the documents. Parts are handled in the
 * order they arrive — the root first (CXF, WCF) or after its attachments — and every
 * attachment goes into the blob store as it arrives (a small one gathered in memory first,
 * a large one streamed: store-upload.ts); the `cid:` references are matched afterwards.
 */
import { BadRequestError } from '../../domain/errors.js';
import type { BlobStore } from '../../storage/ports.js';
import { Base64Decoder } from './base64-decoder.js';
import { coalesce } from './coalesce.js';
import { normaliseContentId, parseMediaType, type MediaType } from './content-type.js';
import { EnvelopeReader, type ParsedEnvelope } from './envelope-reader.js';
import type { SoapLimits } from './limits.js';
import { MultipartRelatedReader, type MimePart } from './multipart-related.js';
import type { SoapVersion } from './namespaces.js';
import { storeUpload, type InMemoryBudget, type StoredUpload } from '../store-upload.js';
import { SharedBudget } from '../body-limit.js';

/** A read request: the envelope and the stored MTOM attachments by Content-ID. */
export interface SoapRequest {
  readonly envelope: ParsedEnvelope;
  /** Small attachments also with their bytes (store-upload.ts). */
  readonly attachments: ReadonlyMap<string, StoredUpload>;
  /** True when the body was multipart/related. */
  readonly mtom: boolean;
}

/** What reading needs. */
export interface RequestReaderDeps {
  readonly blobs: BlobStore;
  readonly limits: SoapLimits;
  readonly onVersion?: (version: SoapVersion) => void;
  /** Small attachments are kept in memory within this; the caller releases it once the request is answered. */
  readonly inMemory: InMemoryBudget;
}

/** Reads the whole body; inline documents and attachments are in the blob store when it resolves. */
export async function readSoapRequest(
  body: AsyncIterable<Uint8Array>,
  mediaType: MediaType,
  deps: RequestReaderDeps,
): Promise<SoapRequest> {
  // One budget for the request's documents, inline base64 and MTOM parts alike (the forsendelse limit).
  const documentBytes = new SharedBudget(deps.limits.maxAttachmentBytes, 'Dokumentene er til sammen for store');
  const envelopeReader = new EnvelopeReader(deps.blobs, deps.limits, deps.onVersion, documentBytes);
  if (mediaType.type !== 'multipart/related') {
    return {
      envelope: await envelopeReader.read(body, mediaType.params.get('charset')),
      attachments: new Map(),
      mtom: false,
    };
  }
  const boundary = mediaType.params.get('boundary');
  if (boundary === undefined) throw new BadRequestError('multipart/related uten boundary-parameter');
  const startParam = mediaType.params.get('start');
  const start = startParam === undefined ? undefined : normaliseContentId(startParam);
  const parts = new MultipartRelatedReader(body[Symbol.asyncIterator](), boundary, deps.limits);
  const attachments = new Map<string, StoredUpload>();
  let envelope: ParsedEnvelope | undefined;
  let rootByStart = false;
  let first = true;
  for (let part = await parts.nextPart(); part !== undefined; part = await parts.nextPart()) {
    const isRoot = envelope === undefined && isRootPart(part, start, first);
    if (!isRoot && envelope !== undefined) refuseSecondRoot(part, start, rootByStart);
    first = false;
    const bytes = transferDecoded(part, deps.limits.maxAttachmentBytes);
    if (isRoot) {
      rootByStart = start !== undefined && part.contentId === start;
      const charset = parseMediaType(part.headers.get('content-type')).params.get('charset');
      envelope = await envelopeReader.read(bytes, charset).catch((error: unknown) => {
        throw start === undefined ? notTheEnvelope(error, part) : error;
      });
    } else if (part.contentId !== undefined) {
      // Two parts with one Content-ID: which one a cid: means is not for us to guess.
      if (attachments.has(part.contentId)) {
        throw new BadRequestError(
          `To MIME-deler har samme Content-ID <${part.contentId}>; hver del må ha sin egen Content-ID`,
        );
      }
      const counted = documentBytes.counted(
        coalesce(bytes),
        `Dokumentene er til sammen for store (ved MTOM-vedlegget <${part.contentId}>)`,
      );
      attachments.set(
        part.contentId,
        await storeUpload(counted, deps.blobs, deps.inMemory, { maxBytes: deps.limits.maxAttachmentBytes }),
      );
    }
  }
  if (envelope === undefined) {
    throw new BadRequestError(
      `multipart/related uten SOAP-del${start === undefined ? '' : ` (fant ingen del med Content-ID <${start}>)`}`,
    );
  }
  return { envelope, attachments, mtom: true };
}

/**
 * The root part is the one named by `start`, else the first (RFC 2387). A part typed
 * application/xop+xml is the XOP root by definition, so it counts even when a client
 * wrote `start` in a form that does not match its Content-ID.
 */
function isRootPart(part: MimePart, start: string | undefined, first: boolean): boolean {
  if (start === undefined) return first;
  if (part.contentId === start) return true;
  return parseMediaType(part.headers.get('content-type')).type === 'application/xop+xml';
}

/**
 * A message without `start` whose first part is not XML and does not read as an envelope: the
 * client put its SOAP part later. Said so, instead of only "ikke gyldig UTF-8" about the
 * attachment's bytes (found in review). The first part is still the root, as RFC 2387 says.
 */
function notTheEnvelope(error: unknown, part: MimePart): unknown {
  const type = parseMediaType(part.headers.get('content-type')).type;
  // Only a plain refusal: a SOAP fault of its own kind (VersionMismatch, MustUnderstand) keeps its code.
  if (!(error instanceof BadRequestError) || error.constructor !== BadRequestError || type === '' || /xml/.test(type))
    return error;
  return new BadRequestError(
    `Den første MIME-delen (${type.slice(0, 60)}) er ikke en SOAP-melding: uten start-parameter i Content-Type må SOAP-delen (application/xop+xml) komme først. ${error.message}`,
  );
}

/**
 * Refuses a part after the root that is a SOAP part too: a second application/xop+xml part,
 * or the part `start` names when the root was taken by its type. Which envelope the client
 * meant is not for us to guess (RFC 2387: `start` names the root), and reading one would
 * silently drop the other.
 */
function refuseSecondRoot(part: MimePart, start: string | undefined, rootByStart: boolean): void {
  const soapPart = parseMediaType(part.headers.get('content-type')).type === 'application/xop+xml';
  const namedByStart = start !== undefined && part.contentId === start && !rootByStart;
  if (soapPart || namedByStart) {
    throw new BadRequestError(
      `multipart/related har mer enn én SOAP-del (${namedByStart ? `start-parameteret peker på <${start}>, som ikke er den første` : 'to deler av typen application/xop+xml'}); send én SOAP-melding per forespørsel`,
    );
  }
}

/** The part's bytes after its Content-Transfer-Encoding (binary, 8bit, 7bit or base64). */
function transferDecoded(part: MimePart, maxBytes: number): AsyncIterable<Uint8Array> {
  const cte = (part.headers.get('content-transfer-encoding') ?? 'binary').trim().toLowerCase();
  if (cte === 'binary' || cte === '8bit' || cte === '7bit') return part.body;
  if (cte === 'base64') return base64Part(part, maxBytes);
  throw new BadRequestError(
    `Content-Transfer-Encoding «${cte}» støttes ikke i multipart/related; bruk binary eller base64`,
  );
}

async function* base64Part(part: MimePart, maxBytes: number): AsyncIterable<Uint8Array> {
  const decoder = new Base64Decoder(`MIME-delen <${part.contentId ?? '?'}>`, maxBytes);
  for await (const chunk of part.body) {
    const bytes = decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1'));
    if (bytes.length > 0) yield bytes;
  }
  const rest = decoder.end();
  if (rest.length > 0) yield rest;
}
