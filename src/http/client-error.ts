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

const INVALID = 'Ugyldig HTTP-forespørsel';
const SMUGGLING = `${INVALID}: Transfer-Encoding er ugyldig eller står sammen med Content-Length`;

/**
 * The reason for llhttp's own reasons where one code covers several (HPE_INVALID_CONTENT_LENGTH
 * is also Content-Length beside Transfer-Encoding): the answer names the header and what is
 * wrong with it, never only llhttp's code (found in review).
 */
const BY_REASON: Readonly<Record<string, string>> = {
  'Duplicate Content-Length': `${INVALID}: Content-Length står mer enn én gang`,
  "Content-Length can't be present with Transfer-Encoding": SMUGGLING,
  "Transfer-Encoding can't be present with Content-Length": SMUGGLING,
  'Invalid character in Content-Length': `${INVALID}: Content-Length er ikke et heltall`,
  'Content-Length overflow': `${INVALID}: Content-Length er for stor til å leses`,
};

/** The reason for each parser error code llhttp gives a request. */
const BY_CODE: Readonly<Record<string, string>> = {
  HPE_UNEXPECTED_CONTENT_LENGTH: SMUGGLING,
  HPE_INVALID_TRANSFER_ENCODING: SMUGGLING,
  HPE_INVALID_CONTENT_LENGTH: `${INVALID}: Content-Length er ugyldig`,
  HPE_INVALID_CHUNK_SIZE: `${INVALID}: en chunk har ugyldig størrelse`,
  HPE_INVALID_METHOD: `${INVALID}: metoden er ugyldig`,
  HPE_INVALID_URL: `${INVALID}: adressen (stien) har et ugyldig tegn`,
  HPE_INVALID_VERSION: `${INVALID}: HTTP-versjonen er ugyldig`,
  HPE_INVALID_HEADER_TOKEN: `${INVALID}: et HTTP-hode har et ugyldig tegn i navnet eller verdien`,
  HPE_INVALID_CONSTANT: `${INVALID}: forespørselslinjen er ikke HTTP/1.1`,
  HPE_LF_EXPECTED: `${INVALID}: en linje slutter ikke med CRLF`,
  HPE_CR_EXPECTED: `${INVALID}: en linje slutter ikke med CRLF`,
  HPE_STRICT: `${INVALID}: den følger ikke HTTP/1.1`,
};

/** The status and the reason for a parser error `code` (and llhttp's `reason`, when given). */
export function clientErrorAnswer(code: string | undefined, reason?: string): { status: number; message: string } {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, message: 'HTTP-hodene i forespørselen er for store' };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return { status: 413, message: 'Chunk-utvidelsene i forespørselen er for store' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, message: 'Forespørselen kom ikke fram i tide' };
    default: {
      const known =
        (reason === undefined ? undefined : BY_REASON[reason]) ?? (code === undefined ? undefined : BY_CODE[code]);
      return {
        status: 400,
        message: known ?? `${INVALID}: den kan ikke leses som HTTP/1.1${code === undefined ? '' : ` (${code})`}`,
      };
    }
  }
}

/** Makes `server` answer parser errors as above. */
export function answerClientErrors(server: Server): void {
  server.on(
    'clientError',
    (error: NodeJS.ErrnoException & { reason?: string }, socket: Duplex & { bytesWritten?: number }) => {
      if (error.code === 'ECONNRESET' || !socket.writable || (socket.bytesWritten ?? 0) > 0) {
        socket.destroy();
        return;
      }
      const { status, message } = clientErrorAnswer(error.code, error.reason);
      const body = `${message}\n`;
      socket.end(
        `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: text/plain; charset=utf-8\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    },
  );
}
