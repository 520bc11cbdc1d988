/**
 * The SOAP door: `POST /ForsendelsesServiceV{4,6,8,9,10,11}` (each version's operations, in its
 * namespace and model: service-versions.ts) and `GET …?wsdl`, as a hono sub-app mounted at
 * `/tjenester/forsendelseservice` (docs/interfaces.md §3, §6a). It calls only ForsendelseService and
 * BlobStore. Bodies are streamed (docs/interfaces.md §15 point 11); see envelope-reader.ts for why
 * this is not the `soap` package's server.
 */
import { singleByteDecoder } from './single-byte-charset.js';
import { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { Hono, type Context } from 'hono';
import { withIntakeLease } from '../../app/intake-lease.js';
import type { ForsendelseService } from '../../app/forsendelse-service.js';
import {
  AuthenticationError,
  BadRequestError,
  BudbringerError,
  PayloadTooLargeError,
  ValidationError,
} from '../../domain/errors.js';
import { InMemoryBudget, type StoredUpload } from '../store-upload.js';
import type { BlobStore } from '../../storage/ports.js';
import { parseBasicAuth } from '../basic-auth.js';
import { refuseEncodedBody } from '../request-body.js';
import { BodyLimit } from '../body-limit.js';
import { BodySource, SOAP_BODY_TOO_LARGE } from './body-source.js';
import { parseMediaType, type MediaType } from './content-type.js';
import type { DataSlot } from './data-collector.js';
import { DEFAULT_SOAP_LIMITS, type SoapLimits } from './limits.js';
import { soapContentType, type SoapVersion } from './namespaces.js';
import { readSoapRequest, type SoapRequest } from './request-reader.js';
import { responseEnvelope } from './response-writer.js';
import { inSoapVersionTerms } from './fault-field-names.js';
import { soapErrorResponse } from './soap-fault.js';
import { findOperation, SERVICE_VERSIONS, versionOfNamespace, type ServiceVersion } from './service-versions.js';
import { loadWsdl, SERVICE_BASE_PATH } from './wsdl.js';
import { allowHeader } from '../method-not-allowed.js';

/** What the SOAP door is built from. */
export interface SoapAppDeps {
  readonly service: ForsendelseService;
  readonly blobs: BlobStore;
  /**
   * Base URL clients reach us at (PUBLIC_URL), written into the served WSDL; a function
   * when the URL is known only once the server listens (PORT=0), read when the WSDL is served.
   */
  readonly publicUrl: string | (() => string);
  /** Limits; missing ones take DEFAULT_SOAP_LIMITS. */
  readonly limits?: Partial<SoapLimits>;
  /**
   * The avsender for an Authorization header, or throws AuthenticationError (answered 401
   * with a Basic challenge). Default: HTTP Basic checked by `service.authenticate`.
   */
  readonly authenticate?: (authorization: string | undefined) => Promise<string>;
  /** Told about errors that are not the caller's (answered as a generic Receiver fault). */
  readonly onUnexpectedError?: (error: unknown) => void;
}

/** Builds the sub-app; mount it at `/tjenester/forsendelseservice`. */
export function createSoapApp(deps: SoapAppDeps): Hono {
  const limits: SoapLimits = { ...DEFAULT_SOAP_LIMITS, ...deps.limits };
  const authenticate = deps.authenticate ?? basicAuthenticator(deps.service);
  const app = new Hono();

  for (const service of SERVICE_VERSIONS) {
    const wsdl = wsdlFor(deps.publicUrl, service.name);
    const serveWsdl = (c: Context): Response => {
      const url = new URL(c.req.url);
      if (![...url.searchParams.keys()].some((k) => k.toLowerCase() === 'wsdl')) {
        // The same Allow as a PUT or DELETE here gets (src/http/method-not-allowed.ts).
        return c.text('Bruk POST for SOAP-kall, eller GET ?wsdl for tjenestebeskrivelsen.', 405, {
          allow: allowHeader(['GET', 'HEAD', 'POST']),
        });
      }
      return c.body(wsdl(), 200, { 'content-type': 'text/xml; charset=utf-8' });
    };
    // Also with a trailing slash, as an endpoint URL is sometimes configured.
    app.get(`/${service.name}`, serveWsdl);
    app.get(`/${service.name}/`, serveWsdl);
    // Documents are stored under the request's lease as they stream in: a faulted send's
    // documents are deleted before the fault goes out (src/app/intake-lease.ts).
    for (const path of [`/${service.name}`, `/${service.name}/`]) {
      app.post(path, (c) => withIntakeLease(deps.blobs, (blobs) => handle(c, blobs, service), deps.onUnexpectedError));
    }
  }
  // A SOAP client posting elsewhere here (V5, V7, a typo) gets a fault it can show, naming
  // the services there are, instead of the REST doors' JSON 404 (found in review).
  app.post('*', (c) =>
    soapErrorResponse(
      new BudbringerError(
        'IKKE_FUNNET',
        `Tjenesten ${new URL(c.req.url).pathname.slice(0, 120)} finnes ikke. Tjenestene er ${SERVICE_VERSIONS.map((v) => v.name).join(', ')} under ${SERVICE_BASE_PATH}`,
        404,
      ),
      versionHint(parseMediaType(c.req.header('content-type') ?? null)),
    ),
  );

  /**
   * FastInfoset (binary XML; JAX-WS sends it with ContentNegotiation=optimistic) is refused
   * with 415 naming it: read as text it was a fault about invalid UTF-8 (found with JAX-WS RI).
   */
  const refuseFastInfoset = (mediaType: MediaType): void => {
    if (!mediaType.type.endsWith('fastinfoset')) return;
    throw new BudbringerError(
      'UGYLDIG_FORESPORSEL',
      `Content-Type «${mediaType.type.slice(0, 60)}» støttes ikke: send SOAP-meldingen som XML (application/soap+xml eller text/xml) eller MTOM (multipart/related)`,
      415,
    );
  };

  const handle = async (c: Context, blobs: BlobStore, service: ServiceVersion): Promise<Response> => {
    const raw = c.req.raw;
    const mediaType = parseMediaType(raw.headers.get('content-type'));
    let version = versionHint(mediaType);
    let avsender: string;
    try {
      // A declared length over the limit is refused before a byte is read.
      new BodyLimit(limits.maxBodyBytes, SOAP_BODY_TOO_LARGE).checkDeclared(raw.headers.get('content-length'));
      refuseEncodedBody(raw.headers.get('content-encoding'), raw.headers.get('transfer-encoding'));
      refuseFastInfoset(mediaType);
      // So is a wrong login: read first, a sender with a rotated password uploaded a whole
      // letter (after `100 Continue`, src/http/expect-continue.ts) to learn it (found in review).
      avsender = await authenticate(raw.headers.get('authorization') ?? undefined);
    } catch (err) {
      // Closed with the body unread, the connection was reset under a client that sends the
      // whole body before it reads the answer (HttpURLConnection: JAX-WS RI, CXF), which saw
      // "Error writing to server" instead of the 401 (found in review). The body is read to
      // its end first, within the door's limit; not when the client waits for 100 Continue
      // (it has sent nothing: src/http/expect-continue.ts) or declared more than the limit.
      if (err instanceof PayloadTooLargeError || /^100-continue$/i.test(raw.headers.get('expect')?.trim() ?? ''))
        return soapErrorResponse(err, version, { connection: 'close' });
      drainAfterAnswer(new BodySource(nodeRequestStream(c.env) ?? raw.body, limits.maxBodyBytes), c.env);
      return soapErrorResponse(err, version);
    }
    const body = new BodySource(nodeRequestStream(c.env) ?? raw.body, limits.maxBodyBytes);
    // Kept for the fault path too: its inline documents are settled before the lease ends.
    let request: SoapRequest | undefined;
    // The small attachments' bytes are held until the answer is made (store-upload.ts).
    const inMemory = new InMemoryBudget();
    try {
      const read = await readSoapRequest(body, mediaType, {
        blobs,
        limits,
        inMemory,
        onVersion: (v) => {
          version = v;
        },
      });
      request = read;
      const { operation } = read.envelope;
      const handler = findOperation(service, operation.uri, operation.local);
      if (handler === undefined) throw unknownOperation(service, operation.uri, operation.local);
      const returns = await handler({
        avsender,
        service: deps.service,
        version: service,
        request: operation,
        documents: (slots) => resolveDocuments(read, slots, blobs),
      });
      await settleInlineDocuments(read);
      await body.drain();
      return new Response(responseEnvelope(read.envelope.version, operation.local, returns, service.namespace), {
        status: 200,
        headers: { 'content-type': soapContentType(read.envelope.version) },
      });
    } catch (err) {
      await settleInlineDocuments(request);
      // Read to its end after the answer, also when a part was too large (see above).
      drainAfterAnswer(body, c.env);
      if (!(err instanceof BudbringerError)) deps.onUnexpectedError?.(err);
      const fault =
        err instanceof ValidationError ? inSoapVersionTerms(err, service) : withDeclaredCharset(err, mediaType);
      return soapErrorResponse(fault, version);
    } finally {
      inMemory.release();
    }
  };
  return app;
}

/**
 * Text that is not UTF-8, sent with another charset in its Content-Type: the refusal names
 * that charset, as one in the XML declaration is named (envelope-reader.ts). Latin-1 bytes
 * sent with charset=ISO-8859-1 were refused only as "ikke gyldig UTF-8 (byte 75852)". A
 * message that is UTF-8 whatever its header says (ASCII labelled Latin-1) is read as before.
 */
function withDeclaredCharset(err: unknown, mediaType: MediaType): unknown {
  const charset = mediaType.params.get('charset')?.trim();
  if (!(err instanceof BadRequestError) || !err.message.startsWith('Meldingen er ikke gyldig UTF-8')) return err;
  if (charset === undefined || ['utf-8', 'utf8'].includes(charset.toLowerCase())) return err;
  // A charset that is read (single-byte-charset.ts): the message mixed it with UTF-8.
  if (singleByteDecoder(charset) !== undefined)
    return new BadRequestError(
      `Meldingen er merket ${charset.slice(0, 40)}, men kan ikke leses slik: XML-deklarasjonen nevner et annet tegnsett, eller det står UTF-8 før første tegn som ikke er det; send hele meldingen i ett tegnsett. ${err.message}`,
    );
  return new BadRequestError(
    `Tegnsettet «${charset.slice(0, 40)}» (Content-Type) støttes ikke; send meldingen som UTF-8. ${err.message}`,
  );
}

/**
 * Node's IncomingMessage under @hono/node-server: read directly it costs less than the
 * web ReadableStream made from it (the bench shows the difference at hundreds of MB).
 */
/**
 * Reads the rest of a refused request's body, after the answer, within the door's limit: a
 * client that reads the answer at once gets it at once, and one that reads only once it has
 * sent everything gets it too, where a connection closed with bytes still coming was reset
 * under it. A body over the limit ends the connection (its client has the answer or never
 * reads one).
 */
function drainAfterAnswer(body: BodySource, env: unknown): void {
  const incoming = (env as { incoming?: unknown } | undefined)?.incoming;
  void body.drain().then((complete) => {
    if (!complete && incoming instanceof IncomingMessage) incoming.socket.destroy();
  });
}

function nodeRequestStream(env: unknown): AsyncIterable<Uint8Array> | undefined {
  const incoming = (env as { incoming?: unknown } | undefined)?.incoming;
  if (incoming instanceof Readable && !incoming.readableDidRead) return incoming;
  return undefined;
}

/** HTTP Basic checked by `service.authenticate` (docs/interfaces.md §2). */
export function basicAuthenticator(
  service: ForsendelseService,
): (authorization: string | undefined) => Promise<string> {
  return async (authorization) => {
    const credentials = parseBasicAuth(authorization);
    if (credentials === undefined) throw new AuthenticationError();
    const avsender = await service.authenticate(credentials.user, credentials.password);
    if (avsender === undefined) throw new AuthenticationError('Ugyldig brukernavn eller passord');
    return avsender;
  };
}

/**
 * The SOAP version to fault in before the envelope has been read: by Content-Type, the
 * MTOM `start-info`/`type`, else 1.2 (the binding's version). Once the envelope's
 * namespace is read it decides (docs/interfaces.md §15 point 1).
 */
export function versionHint(mediaType: MediaType): SoapVersion {
  const t =
    mediaType.type === 'multipart/related'
      ? (mediaType.params.get('start-info') ?? mediaType.params.get('type') ?? '').toLowerCase()
      : mediaType.type;
  return t === 'text/xml' ? '1.1' : '1.2';
}

/**
 * Waits until every inline document of a read request is stored (or failed), so that the
 * intake lease, released when the request ends, finds them all: a fault raised before
 * `resolveDocuments` awaited them (a repeated element, a bad value), or a `<data>` no
 * binding reads, would otherwise land in the store after the release and be kept.
 */
async function settleInlineDocuments(request: SoapRequest | undefined): Promise<void> {
  const inline = request?.envelope.dataSlots.flatMap((s) => (s.kind === 'inline' ? [s.blob] : [])) ?? [];
  await Promise.allSettled(inline);
}

/** The stored documents of the data slots: inline puts awaited, XOP parts looked up, empties stored as empty. */
async function resolveDocuments(
  request: SoapRequest,
  slots: readonly (number | undefined)[],
  blobs: BlobStore,
): Promise<StoredUpload[]> {
  const out: StoredUpload[] = [];
  for (const [i, index] of slots.entries()) {
    const slot: DataSlot = (index === undefined ? undefined : request.envelope.dataSlots[index]) ?? {
      kind: 'empty',
      label: `dokumenter[${i}].data`,
    };
    if (slot.kind === 'inline') out.push({ blob: await slot.blob });
    else if (slot.kind === 'xop') {
      const ref = request.attachments.get(slot.contentId);
      if (ref === undefined) throw missingAttachment(slot, request.mtom);
      out.push(ref);
    } else {
      // The service answers an empty document with "Kan ikke lagre tomt dokument" (docs/interfaces.md §14).
      out.push({ blob: await blobs.put(new Uint8Array(0)) });
    }
  }
  return out;
}

/**
 * The refusal of an xop:Include that names no part of the message: a reference to another
 * scheme (`http:`, `file:`) is named as such, not as a missing `cid:http:…` (found in review),
 * and a message that is not multipart/related is told it has no attachments at all.
 */
function missingAttachment(slot: { label: string; contentId: string; href: string }, mtom: boolean): BadRequestError {
  const href = slot.href.slice(0, 120);
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(slot.href)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== 'cid')
    return new BadRequestError(
      `xop:Include i ${slot.label} viser til «${href}»; href må være «cid:» fulgt av Content-ID-en til en MIME-del i meldingen`,
    );
  if (!mtom)
    return new BadRequestError(
      `xop:Include i ${slot.label} viser til «${href}», men meldingen har ingen vedlegg: send den som multipart/related (MTOM), eller dokumentet som base64 i elementet`,
    );
  return new BadRequestError(`Fant ikke MTOM-vedlegget cid:${slot.contentId} som ${slot.label} viser til`);
}

/**
 * The fault for a Body element `version` does not declare: a message written for another
 * version (its namespace) is told where it belongs, anything else is an unknown operation.
 */
function unknownOperation(version: ServiceVersion, uri: string, local: string): BadRequestError {
  const other = versionOfNamespace(uri);
  if (other !== undefined && other !== version) {
    return new BadRequestError(
      `Feil versjon: ${local} er i navnerommet til ${other.name} (${uri}), men ble sendt til ${version.name}. ` +
        `Send den til ${SERVICE_BASE_PATH}/${other.name}, eller bruk navnerommet ${version.namespace}`,
      'FEIL_TJENESTEVERSJON',
    );
  }
  return new BadRequestError(`Ukjent operasjon: {${uri}}${local} finnes ikke i ${version.name}`);
}

/** The served WSDL for the URL at the time of asking, rebuilt only when the URL has changed. */
function wsdlFor(publicUrl: string | (() => string), service: string): () => string {
  const urlNow = typeof publicUrl === 'string' ? () => publicUrl : publicUrl;
  let cached: { url: string; text: string } | undefined;
  return () => {
    const url = urlNow();
    if (cached?.url !== url) cached = { url, text: loadWsdl(url, service) };
    return cached.text;
  };
}
