/**
 * The request body as a byte source that counts and limits what it yields, and that
 * readers may stop iterating without cancelling it: after a fault the rest is drained
 * (up to the body limit) so that clients which only read the answer once they have sent
 * everything (HttpURLConnection, WCF) still get the fault rather than a reset connection.
 */
import { BadRequestError, type PayloadTooLargeError } from '../../domain/errors.js';
import { BodyLimit } from '../body-limit.js';

/** How a SOAP body over its limit is refused, before reading (a declared length) and while reading. */
export const SOAP_BODY_TOO_LARGE = 'Meldingen er for stor';

/** Where the bytes come from: a web stream, or Node's own request stream when at hand (faster). */
export type BodyStream = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

/** A counted, limited, drainable request body. */
export class BodySource implements AsyncIterable<Uint8Array> {
  private readonly reader: { read(): Promise<IteratorResult<Uint8Array>>; cancel(): Promise<void> } | undefined;
  private received = 0;
  private done = false;
  private overLimit = false;

  constructor(
    body: BodyStream | null,
    private readonly maxBytes: number,
  ) {
    this.reader = body === null ? undefined : readerOf(body);
    if (!this.reader) this.done = true;
  }

  /** Bytes read so far. */
  get bytesRead(): number {
    return this.received;
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return {
      next: async () => {
        const chunk = await this.read();
        return chunk === undefined ? { done: true, value: undefined } : { done: false, value: chunk };
      },
      // Stopping early must not cancel the HTTP body: drain() may still need it.
      return: async () => ({ done: true, value: undefined }),
    };
  }

  /**
   * Reads and discards the rest of the body, within the limit: a client that reads the answer
   * only once it has sent everything gets it instead of a reset. Resolves true when the body
   * was read to its end, false when it went over the limit (reading more is what the limit
   * is there to spare) — the stream is then cancelled: close the connection.
   */
  async drain(): Promise<boolean> {
    if (this.overLimit) {
      await this.cancel();
      return false;
    }
    try {
      while ((await this.read()) !== undefined);
      return true;
    } catch {
      await this.cancel();
      return false;
    }
  }

  private async read(): Promise<Uint8Array | undefined> {
    if (this.done || !this.reader) return undefined;
    if (this.overLimit) throw this.tooLarge();
    const r = await this.reader.read().catch((error: unknown) => {
      throw isClientAbort(error) ? new BadRequestError(CLIENT_ABORTED) : error;
    });
    if (r.done) {
      this.done = true;
      return undefined;
    }
    this.received += r.value.byteLength;
    if (this.received > this.maxBytes) {
      this.overLimit = true;
      throw this.tooLarge();
    }
    return r.value;
  }

  private async cancel(): Promise<void> {
    this.done = true;
    await this.reader?.cancel().catch(() => undefined);
  }

  private tooLarge(): PayloadTooLargeError {
    return new BodyLimit(this.maxBytes, SOAP_BODY_TOO_LARGE).tooLarge();
  }
}

/**
 * A pull reader over either kind of stream. A Node stream is read through its async
 * iterator's next() only: calling return() would destroy it, and drain() needs the rest.
 */
function readerOf(body: BodyStream): { read(): Promise<IteratorResult<Uint8Array>>; cancel(): Promise<void> } {
  if ('getReader' in body) {
    const reader = body.getReader();
    return { read: () => reader.read() as Promise<IteratorResult<Uint8Array>>, cancel: () => reader.cancel() };
  }
  const it = body[Symbol.asyncIterator]();
  return {
    read: () => it.next(),
    // Not it.return(): that destroys the request, and with it the socket before the fault
    // is written. Left unread, the HTTP server drains a little after the answer and closes.
    cancel: async () => undefined,
  };
}

/** Why a request whose client stopped sending is refused (the client's fault, not ours: no error log, no 5xx). */
const CLIENT_ABORTED = 'Forespørselen ble avbrutt før hele meldingen var mottatt';

/** Node's error when the client closed or reset the connection before the body was complete. */
function isClientAbort(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  return (
    e?.code === 'ECONNRESET' ||
    e?.code === 'ERR_STREAM_PREMATURE_CLOSE' ||
    e?.code === 'ECONNABORTED' ||
    e?.message === 'aborted'
  );
}
