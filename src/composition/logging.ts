/**
 * The node's logger: pino, one JSON object per line on stdout (or the given stream). What
 * we log is chosen to carry ids and never personal data (observability.ts), but an error
 * message from a library or a validation rule may quote an input value; so every line
 * passes a mask that blanks any run of exactly 11 digits (the shape of a fødselsnummer or
 * D-nummer), also written as 6 + 5 with a space, dot or hyphen between ("010190 00083", as
 * people type it), before it is written. UUIDs, org numbers (9), phone numbers (8) and epoch
 * milliseconds (13) are other lengths and pass unchanged.
 */
import { inspect } from 'node:util';
import { pino, type DestinationStream, type Level, type Logger } from 'pino';
import { FODSELSNUMMER_SHAPE_OUTSIDE_IDS, maskFodselsnummerShapes } from '../domain/validation/fodselsnummer.js';

/** A JSON string, or an 11-digit JSON number outside one (`"free":12345678901`). */
const STRING_OR_BARE_NUMBER = /"(?:[^"\\]|\\.)*"|(?<![\d.-])\d{11}(?![\d.eE])/g;

/**
 * `line` with every fødselsnummer-shaped run replaced by asterisks. In a JSON line a masked
 * number becomes the string "***********", so the line stays JSON: a bare number of bytes
 * with 11 digits (free disk space of 10–99 GB) once broke the line for every log shipper.
 */
export function maskFodselsnummer(line: string): string {
  if (!line.startsWith('{')) return maskFodselsnummerShapes(line, FODSELSNUMMER_SHAPE_OUTSIDE_IDS);
  return line.replace(STRING_OR_BARE_NUMBER, (m) =>
    m.startsWith('"') ? maskFodselsnummerShapes(m, FODSELSNUMMER_SHAPE_OUTSIDE_IDS) : `"${'*'.repeat(11)}"`,
  );
}

/** A destination that masks fødselsnumre before handing each line to `target`. */
export function maskingDestination(target: DestinationStream): DestinationStream {
  return { write: (line: string) => target.write(maskFodselsnummer(line)) };
}

/** The logger of a node; `destination` defaults to stdout. */
export function createLogger(
  level: Level | 'silent',
  destination: DestinationStream = pino.destination({ dest: 1, sync: true }),
): Logger {
  // ISO 8601 timestamps (UTC), readable by people and by every log shipper.
  return pino(
    { level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime },
    maskingDestination(destination),
  );
}

/**
 * Routes what libraries print with `console` into `log`, one JSON line each, masked like the
 * rest: @hono/node-server prints a response body that failed midway (a stored file found
 * damaged while it was sent) with `console.error`, a stack over many plain lines that log
 * shippers split or drop, and the operator never learnt of the damage (found in review).
 */
export function consoleIntoLog(log: Logger): void {
  const into =
    (level: 'error' | 'warn' | 'info') =>
    (...args: unknown[]): void => {
      const err = args.find((a): a is Error => a instanceof Error);
      const text = args
        .filter((a) => a !== err)
        .map((a) => (typeof a === 'string' ? a : inspect(a, { depth: 3, breakLength: Infinity })))
        .join(' ');
      log[level]({ component: 'console', ...(err === undefined ? {} : { err }) }, text || (err?.message ?? ''));
    };
  console.error = into('error');
  console.warn = into('warn');
  console.info = into('info');
  console.log = into('info');
}
