/**
 * A stored file as a response body that never leaves its file handle open: the blob
 * stream holds an open file until it is read to its end or destroyed, and a download the
 * client breaks off, or a response that fails before it is sent, reads it neither way —
 * 200 such downloads once left 200 open handles until garbage collection (issue #13).
 */
import type { Context } from 'hono';
import { Readable } from 'node:stream';

/**
 * Opens the stream with `open` and answers `respond(body)`; the stream is destroyed when
 * `respond` throws or the request is aborted (the client went away, or the response
 * could not be written). Set the headers before calling this: a header that cannot be
 * set then fails before any file is opened.
 */
export async function blobResponse(
  c: Context,
  open: () => Promise<Readable>,
  respond: (body: ReadableStream) => Response | Promise<Response>,
): Promise<Response> {
  const signal = c.req.raw.signal;
  const stream = await open();
  const release = (): void => {
    stream.destroy();
  };
  if (signal.aborted) release();
  signal.addEventListener('abort', release, { once: true });
  stream.once('close', () => signal.removeEventListener('abort', release));
  try {
    return await respond(Readable.toWeb(stream) as ReadableStream);
  } catch (error) {
    release();
    throw error;
  }
}
