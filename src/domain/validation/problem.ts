/** Small helpers shared by the validation rules. */
import type { FieldProblem } from '../errors.js';

/**
 * A problem whose message reads "<reason>: <field> <explanation>", so every message names
 * the broken rule and the field, in Norwegian like the real service (docs/interfaces.md §14).
 */
export function problem(field: string, reason: string, explanation: string): FieldProblem {
  return { field, message: `${reason}: ${field} ${explanation}` };
}

/** A character as Unicode names it in a message: `U+001B`. */
export function codePoint(ch: string): string {
  return `U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** True when a text field is absent, empty or only blanks. */
export function isBlank(s: string | undefined): boolean {
  return s === undefined || s.replace(INVISIBLE, '') === '';
}

/**
 * What shows as nothing: white space, control and format characters (zero-width space
 * U+200B, word joiner U+2060, …), the characters Unicode says to ignore when they cannot be
 * shown (Default_Ignorable_Code_Point: variation selectors, the combining grapheme joiner,
 * the Hangul fillers, …) and the braille blank. A name of only U+200B passed "må fylles ut"
 * and went to print blank (found in review); then one of only U+FE0F or U+034F.
 */
const INVISIBLE = /[\s\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]/gu;

/** A forsendelse id as SvarUt gives them out: a UUID (either case, as Java's UUID reads it). */
export function isForsendelseId(s: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
}

/** Quotes a caller's value in a message, shortened so a huge value cannot flood a log line. */
export function quote(s: string): string {
  return `«${s.length > 60 ? `${s.slice(0, 57)}...` : s}»`;
}

/** The problems with duplicates (same field and message) removed, first occurrence kept. */
export function uniqueProblems(problems: readonly FieldProblem[]): FieldProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.field}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Why an `eksponertFor` entry without its number is refused, on every door: it was dropped, and
 * the sender believed someone had access (found in review).
 */
export const EKSPONERT_UTEN_NUMMER =
  'mangler fødselsnummer eller organisasjonsnummer: en person eller virksomhet forsendelsen skal vises for må ha ett av dem';
