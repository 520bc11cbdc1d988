/**
 * A stored file as a response body that never leaves its file handle open: the blob
 * stream holds an open file until it is read to its end or destroyed, and a download the
 * client breaks off, or a response that fails before it is sent, reads it neither way —
 * 200 such downloads once left 200 open handles until garbage collection (issue #13).
 */
import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import { Readable } from 'node:stream';

/**
 * The stream as a web stream of exactly `length` bytes (its Content-Length): it closes as
 * soon as they have passed, without waiting for the read that finds the end of the file
 * (under @hono/node-server that last read sometimes settled only when the connection
 * closed: the response was never ended, its keep-alive connection stayed busy, and the
 * server's close waited ~60 s). A file longer than recorded is cut at `length`, so no
 * byte spills onto the connection as the start of the next response; one shorter than
 * recorded errors the stream, so the connection is broken off instead of left waiting.
 * `onAllRead` runs once all `length` bytes have been handed on.
 */
function exactly(stream: Readable, length: number, onAllRead: () => void): ReadableStream<Uint8Array> {
  const chunks = stream[Symbol.asyncIterator]();
  let passed = 0;
  const finish = (controller: ReadableStreamDefaultController<Uint8Array>): void => {
    controller.close();
    stream.destroy();
    onAllRead();
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (passed >= length) {
        finish(controller);
        return;
      }
      const next = await chunks.next();
      if (next.done === true) {
        controller.error(new Error(`Filen har ${passed} byte, ikke ${length} som lagret`));
        return;
      }
      const chunk = next.value as Buffer;
      const taken = Math.min(chunk.byteLength, length - passed);
      passed += taken;
      controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, taken));
      if (passed >= length) finish(controller);
    },
    cancel() {
      stream.destroy();
    },
  });
}

/**
 * Opens the stream with `open` and answers `respond(body)` (set the headers there); the
 * stream is destroyed when `respond` throws or the response closes without having read it
 * to its end (the client went away, or the response could not be written). With `whole`
 * (the bytes the stream holds, as in Content-Length) the body is exactly those bytes, and
 * `onEnd` runs once all of them have been handed to the connection and the response has
 * finished (not merely read from disk: a client that hangs up early has not got them).
 */
export async function blobResponse(
  c: Context,
  open: () => Promise<Readable>,
  respond: (body: ReadableStream) => Response | Promise<Response>,
  whole?: { readonly length: number; readonly onEnd?: () => void },
): Promise<Response> {
  const stream = await open();
  const release = (): void => {
    stream.destroy();
  };
  // Under @hono/node-server: once the response is closed — sent, broken off, or failed
  // while its head was written (a 500 written by the server, the body never read) — a
  // stream not yet ended is destroyed; after a whole download it has closed already.
  const outgoing = (c.env as Partial<HttpBindings> | undefined)?.outgoing;
  if (outgoing !== undefined) {
    if (outgoing.closed) release();
    else outgoing.once('close', release);
  } else {
    const signal = c.req.raw.signal;
    if (signal.aborted) release();
    signal.addEventListener('abort', release, { once: true });
    stream.once('close', () => signal.removeEventListener('abort', release));
  }
  let allRead = false;
  const onEnd = whole?.onEnd;
  if (onEnd !== undefined) {
    if (outgoing !== undefined) outgoing.once('finish', () => allRead && onEnd());
  }
  const handedOn = (): void => {
    allRead = true;
    if (outgoing === undefined) onEnd?.();
  };
  try {
    return await respond(
      whole === undefined ? (Readable.toWeb(stream) as ReadableStream) : exactly(stream, whole.length, handedOn),
    );
  } catch (error) {
    release();
    throw error;
  }
}
