/**
 * Syntactic check of Norwegian personal identity numbers (docs/interfaces.md §8: "valid fødsels- or
 * d-nummer"): 11 digits, both mod-11 control digits, and a birth date that exists.
 */
import { isValidCalendarDate } from '../time/index.js';

const K1_WEIGHTS = [3, 7, 6, 1, 8, 9, 4, 5, 2];
const K2_WEIGHTS = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

/** The mod-11 control digit for `digits`, or undefined when the remainder rule gives 10 (never issued). */
export function mod11ControlDigit(digits: readonly number[], weights: readonly number[]): number | undefined {
  const sum = digits.reduce((acc, digit, i) => acc + digit * (weights[i] ?? 0), 0);
  const k = 11 - (sum % 11);
  if (k === 11) return 0;
  return k === 10 ? undefined : k;
}

/**
 * True for a fødselsnummer or d-nummer (day + 40) with correct control digits and a real
 * date. Test-environment numbers are accepted too: H-nummer (month + 40) and the
 * synthetic numbers of Skatteetaten's Tenor (month + 80), so Budbringer can be used
 * against the same test data as the real service. FH-numbers (no date) are rejected.
 */
export function isValidFodselsnummer(s: string): boolean {
  if (!/^\d{11}$/.test(s)) return false;
  const d = [...s].map(Number);
  if (mod11ControlDigit(d.slice(0, 9), K1_WEIGHTS) !== d[9]) return false;
  if (mod11ControlDigit(d.slice(0, 10), K2_WEIGHTS) !== d[10]) return false;
  return hasRealBirthDate(s);
}

/** Whether the date part (after the d-, H- and synthetic offsets) names a day that exists. */
function hasRealBirthDate(s: string): boolean {
  let day = Number(s.slice(0, 2));
  let month = Number(s.slice(2, 4));
  const yy = Number(s.slice(4, 6));
  const individ = Number(s.slice(6, 9));
  if (day > 40) day -= 40;
  if (month > 80) month -= 80;
  else if (month > 40) month -= 40;
  return birthCenturies(yy, individ).some((century) => isValidCalendarDate(century + yy, month, day));
}

/**
 * The century the individual number allots to `yy` (Skatteetaten's table). Ranges the
 * table leaves unallotted may still occur in synthetic numbers, so they accept either
 * modern century rather than rejecting a number for a 29 February.
 */
function birthCenturies(yy: number, individ: number): number[] {
  if (individ <= 499) return [1900];
  if (individ <= 749 && yy >= 54) return [1800];
  if (yy <= 39) return [2000];
  if (individ >= 900) return [1900];
  return [1900, 2000];
}

/**
 * What looks like a fødselsnummer or D-nummer in a text people read (a letter's title, a
 * sender's link, what the PDF threads print): 11 digits, or 6 + 5 split by one space, dot or
 * hyphen ("010190 00083", as people type it), not part of a longer run of digits. Letters
 * beside it do not shield it ("fnr01019000083"). Org numbers (9), phone numbers (8), account
 * numbers (11 + 1) and epoch milliseconds (13) are other lengths.
 */
export const FODSELSNUMMER_SHAPE = /(?<!\d)\d{6}[ .-]?\d{5}(?!\d)/g;

/**
 * The same, outside words and ids: what the log masks. A UUID whose last group holds 11 digits
 * beside a hex letter ("…-a12345678901") is a letter's id, which whoever searches the log must
 * find; an underscore is no part of a word here (`fnr_01019000083` is masked).
 */
export const FODSELSNUMMER_SHAPE_OUTSIDE_IDS = /(?<![\p{L}\d])\d{6}[ .-]?\d{5}(?![\p{L}\d])/gu;

/** `text` with every run of `shape` replaced by as many asterisks. */
export function maskFodselsnummerShapes(text: string, shape: RegExp = FODSELSNUMMER_SHAPE): string {
  return text.replace(shape, (m) => '*'.repeat(m.length));
}
