/**
 * The node's logger: pino, one JSON object per line on stdout (or the given stream). What
 * we log is chosen to carry ids and never personal data (observability.ts), but an error
 * message from a library or a validation rule may quote an input value; so every line
 * passes a mask that blanks any run of exactly 11 digits (the shape of a fødselsnummer or
 * D-nummer) before it is written. UUIDs, org numbers (9), phone numbers (8) and epoch
 * milliseconds (13) are other lengths and pass unchanged.
 */
import { pino, type DestinationStream, type Level, type Logger } from 'pino';

/** An 11-digit run not part of a longer digit run. */
const ELEVEN_DIGITS = /(?<!\d)\d{11}(?!\d)/g;

/** `line` with every 11-digit run replaced by asterisks. */
export function maskFodselsnummer(line: string): string {
  return line.replace(ELEVEN_DIGITS, '***********');
}

/** A destination that masks fødselsnumre before handing each line to `target`. */
export function maskingDestination(target: DestinationStream): DestinationStream {
  return { write: (line: string) => target.write(maskFodselsnummer(line)) };
}

/** The logger of a node; `destination` defaults to stdout. */
export function createLogger(level: Level | 'silent', destination: DestinationStream = pino.destination({ dest: 1, sync: true })): Logger {
  return pino({ level, base: { pid: process.pid } }, maskingDestination(destination));
}
