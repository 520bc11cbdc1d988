/**
 * Requests Node's HTTP parser refuses before any door sees them (request smuggling with
 * Content-Length and Transfer-Encoding together, two Content-Lengths, a bad chunk size,
 * headers too large, a request that does not arrive in time): answered with the status Node
 * chooses and a Norwegian line saying why, where Node's own answer had no body at all (found
 * in review). As Node does, an answer is written only on a connection that has written
 * nothing yet, and the connection is closed.
 */
import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';

/** The status and the reason for a parser error `code`. */
export function clientErrorAnswer(code: string | undefined): { status: number; message: string } {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, message: 'HTTP-hodene i forespørselen er for store' };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return { status: 413, message: 'Chunk-utvidelsene i forespørselen er for store' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, message: 'Forespørselen kom ikke fram i tide' };
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
    case 'HPE_INVALID_TRANSFER_ENCODING':
      return {
        status: 400,
        message: 'Ugyldig HTTP-forespørsel: Transfer-Encoding er ugyldig eller står sammen med Content-Length',
      };
    case 'HPE_INVALID_CHUNK_SIZE':
      return { status: 400, message: 'Ugyldig HTTP-forespørsel: en chunk har ugyldig størrelse' };
    default:
      return {
        status: 400,
        message: `Ugyldig HTTP-forespørsel: den kan ikke leses som HTTP/1.1${code === undefined ? '' : ` (${code})`}`,
      };
  }
}

/** Makes `server` answer parser errors as above. */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex & { bytesWritten?: number }) => {
    if (error.code === 'ECONNRESET' || !socket.writable || (socket.bytesWritten ?? 0) > 0) {
      socket.destroy();
      return;
    }
    const { status, message } = clientErrorAnswer(error.code);
    const body = `${message}\n`;
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: text/plain; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
