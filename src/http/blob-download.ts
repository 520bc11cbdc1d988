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
 * The stream as a web stream that closes (and calls `onEnd`) as soon as `length` bytes have passed, without
 * waiting for the read that finds the end of the file. Under @hono/node-server that last
 * read sometimes settled only when the connection closed (the response was then never
 * ended, its keep-alive connection stayed busy, and the server's close waited ~60 s).
 */
function endingAt(stream: Readable, length: number, onEnd: () => void): ReadableStream<Uint8Array> {
  const chunks = stream[Symbol.asyncIterator]();
  let passed = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done === true) {
        controller.close();
        if (passed >= length) onEnd();
        return;
      }
      const chunk = next.value as Buffer;
      passed += chunk.byteLength;
      controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      if (passed >= length) {
        controller.close();
        stream.destroy();
        onEnd();
      }
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
 * (the bytes the stream holds, as in Content-Length) the body ends once they have passed,
 * and `onEnd` runs then.
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
  try {
    return await respond(whole === undefined ? (Readable.toWeb(stream) as ReadableStream) : endingAt(stream, whole.length, whole.onEnd ?? (() => undefined)));
  } catch (error) {
    release();
    throw error;
  }
}
