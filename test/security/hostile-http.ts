/**
 * Clients for oversized and broken HTTP: a body streamed from a generator (never held in
 * memory) that stops sending the moment the server answers, and a raw TCP exchange for
 * framing a real client would never send (a false Content-Length, headers that never end).
 */
import { Agent, request, type ClientRequest } from 'node:http';
import { connect } from 'node:net';

/** The answer to a streamed request, and how much of the body went out before it came. */
export interface StreamedAnswer {
  readonly status: number;
  readonly text: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Body bytes handed to the socket before the answer arrived. */
  readonly sentBytes: number;
}

/** `total` bytes of `fill`, in chunks of `chunkBytes` (one buffer, yielded again and again). */
export async function* filler(total: number, fill = 0x41, chunkBytes = 1024 * 1024): AsyncGenerator<Uint8Array> {
  const chunk = Buffer.alloc(chunkBytes, fill);
  for (let left = total; left > 0; left -= chunkBytes) yield left >= chunkBytes ? chunk : chunk.subarray(0, left);
}

/** The pieces one after the other: strings as UTF-8, buffers as they are, generators as they yield. */
export async function* concat(
  ...pieces: (string | Uint8Array | AsyncIterable<Uint8Array>)[]
): AsyncGenerator<Uint8Array> {
  for (const piece of pieces) {
    if (typeof piece === 'string') yield Buffer.from(piece, 'utf8');
    else if (piece instanceof Uint8Array) yield piece;
    else yield* piece;
  }
}

/** A multipart/form-data part's opening (boundary and headers); its body follows, then `\r\n`. */
export function partHead(boundary: string, disposition: string, contentType?: string): string {
  return `--${boundary}\r\nContent-Disposition: form-data; ${disposition}\r\n${contentType === undefined ? '' : `Content-Type: ${contentType}\r\n`}\r\n`;
}

/**
 * POSTs `body` chunked (or with `headers['content-length']` when given) and resolves with the
 * answer as soon as it has come, however much of the body is still unsent; a reset after the
 * answer is the server closing a connection it will read no more of.
 */
export function streamPost(
  url: string,
  headers: Record<string, string>,
  body: AsyncIterable<Uint8Array>,
  timeoutMs = 60_000,
): Promise<StreamedAnswer> {
  return new Promise((resolve, reject) => {
    // A keep-alive connection, as SvarUt clients use: with `Connection: close` Node's server
    // closes the socket the moment its answer is out, with the rest of the body unread, and
    // the kernel's reset can overtake the answer. Kept alive, the server drains a little first.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const req = request(url, { method: 'POST', headers, agent });
    let sentBytes = 0;
    let answered = false;
    let settled = false;
    const timer = setTimeout(
      () => finish(new Error(`no answer within ${timeoutMs} ms after ${sentBytes} bytes`)),
      timeoutMs,
    );
    const finish = (error: Error | undefined, answer?: StreamedAnswer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      agent.destroy();
      if (answer !== undefined) resolve(answer);
      else reject(error);
    };
    req.on('response', (res) => {
      answered = true;
      const sentAtAnswer = sentBytes;
      const chunks: Buffer[] = [];
      const done = (): void =>
        finish(undefined, {
          status: res.statusCode ?? 0,
          text: Buffer.concat(chunks).toString('utf8'),
          headers: res.headers,
          sentBytes: sentAtAnswer,
        });
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', done);
      res.on('error', done);
      res.on('aborted', done);
    });
    req.on('error', (error) => {
      if (!answered) finish(new Error(`request failed after ${sentBytes} bytes without an answer: ${error.message}`));
    });
    void (async () => {
      try {
        for await (const chunk of body) {
          if (answered || settled || req.destroyed) return;
          sentBytes += chunk.byteLength;
          if (!req.write(chunk)) await writable(req);
        }
        if (!answered && !req.destroyed) req.end();
      } catch {
        // The request was destroyed while waiting: its error or answer settles it.
      }
    })();
  });
}

/** Resolves when `req` may be written again, has closed, or has been answered. */
function writable(req: ClientRequest): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      req.off('drain', done);
      req.off('close', done);
      req.off('response', done);
      resolve();
    };
    req.once('drain', done);
    req.once('close', done);
    req.once('response', done);
  });
}

/** What came back over a raw connection. */
export interface RawAnswer {
  readonly text: string;
  /** True when the server closed the connection within the wait. */
  readonly closed: boolean;
}

/**
 * Opens a TCP connection to `url`'s host, writes `data` and reads until the server closes
 * the connection or `waitMs` passes. `trickle` keeps writing one byte every half second
 * (a slowloris) until then.
 */
export function rawExchange(
  url: string,
  data: string | Uint8Array,
  waitMs: number,
  trickle?: string,
): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    let closed = false;
    let drip: NodeJS.Timeout | undefined;
    const done = (): void => {
      clearTimeout(timer);
      clearInterval(drip);
      socket.destroy();
      resolve({ text: Buffer.concat(chunks).toString('utf8'), closed });
    };
    const timer = setTimeout(done, waitMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      closed = true;
      done();
    });
    socket.on('connect', () => {
      socket.write(data);
      if (trickle !== undefined) {
        drip = setInterval(() => {
          if (!socket.destroyed) socket.write(trickle);
        }, 500);
      }
    });
  });
}

/** Open file descriptors of this process (the test node runs in it). */
export async function openFileDescriptors(): Promise<number> {
  const { readdir } = await import('node:fs/promises');
  return (await readdir('/proc/self/fd')).length;
}
