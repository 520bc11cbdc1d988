/**
 * What a sender's system may say when it reports a letter read (SOAP
 * setForsendelseLestAvEksterntSystem, REST v1 settLest, REST v2 lest): the system's name is
 * journaled for good and repeated in every history answer and webhook, so it is one line of
 * at most 100 characters (as the other names of a letter, docs/interfaces.md §8); the read
 * time is a time this service could have seen, from 2000 up to a few minutes ahead of its
 * clock.
 */
import type { FieldProblem } from '../errors.js';
import { codePoint, problem } from './problem.js';

/** Longest name of the system that read the letter. */
export const MAX_SYSTEMNAVN = 100;

/** How far ahead of the clock a reported read time may be (the sender's clock may run ahead). */
export const READ_TIME_SKEW_MS = 5 * 60_000;

/** The earliest read time taken (1 January 2000, UTC). */
const EARLIEST_READ_TIME = Date.UTC(2000, 0, 1);

/** A C0 or C1 control character, line breaks and tabs included: a name is one line. */
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;

/** Problems of a reported system name, named `field` as the caller spelled it. */
export function systemnavnProblems(value: unknown, field: string): FieldProblem[] {
  if (value === undefined || value === null) return [];
  if (typeof value !== 'string') return [problem(field, 'Ugyldig verdi', 'må være tekst')];
  if (value.length > MAX_SYSTEMNAVN)
    return [problem(field, 'For lang tekst', `kan ha høyst ${MAX_SYSTEMNAVN} tegn (har ${value.length})`)];
  const control = CONTROL.exec(value)?.[0];
  if (control !== undefined) {
    const code = codePoint(control);
    return [problem(field, 'Ugyldig tekst', `inneholder kontrolltegnet ${code}; navnet skal være én linje tekst`)];
  }
  return [];
}

/** Problems of a reported read time (epoch ms), named `field`. */
export function readTimeProblems(at: number, now: number, field: string): FieldProblem[] {
  if (!Number.isFinite(at) || Number.isNaN(new Date(at).getTime()))
    return [{ field, message: `Ugyldig ${field}: må være et gyldig tidspunkt` }];
  if (at > now + READ_TIME_SKEW_MS) return [problem(field, 'Ugyldig tidspunkt', 'ligger fram i tid')];
  if (at < EARLIEST_READ_TIME) return [problem(field, 'Ugyldig tidspunkt', 'ligger før år 2000')];
  return [];
}
