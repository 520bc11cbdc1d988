/** Syntactic check of Norwegian organisation numbers (docs/interfaces.md §8: orgnr, 9 digits). */
import { mod11ControlDigit } from './fodselsnummer.js';

const ORGNR_WEIGHTS = [3, 2, 7, 6, 5, 4, 3, 2];

/** True for 9 digits whose last is the mod-11 control digit (weights 3,2,7,6,5,4,3,2). */
export function isValidOrgnr(s: string): boolean {
  if (!/^\d{9}$/.test(s)) return false;
  const d = [...s].map(Number);
  return mod11ControlDigit(d.slice(0, 8), ORGNR_WEIGHTS) === d[8];
}
