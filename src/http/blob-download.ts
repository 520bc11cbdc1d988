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
 * Opens the stream with `open` and answers `respond(body)` (set the headers there); the
 * stream is destroyed when `respond` throws or the response closes without having read it
 * to its end (the client went away, or the response could not be written).
 */
export async function blobResponse(
  c: Context,
  open: () => Promise<Readable>,
  respond: (body: ReadableStream) => Response | Promise<Response>,
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
    return await respond(Readable.toWeb(stream) as ReadableStream);
  } catch (error) {
    release();
    throw error;
  }
}
