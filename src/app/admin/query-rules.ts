/**
 * Rules for the admin web's query parameters besides dates (see period.ts): paging offsets
 * and search texts. `?side=1e308` once answered 500; every parameter now either is valid
 * or becomes a Norwegian message naming the field, and the page answers 400.
 */
import type { FieldProblem } from '../../domain/errors.js';
import { codePoint } from '../../domain/validation/problem.js';

/** Longest search text (names, titles, references, user names): longer than any stored one. */
export const MAX_SEARCH_CHARS = 200;

/** Highest paging offset accepted before the search runs (a bound on SQL OFFSET work). */
export const MAX_OFFSET = 10_000_000;

/**
 * A chosen avsender the user does not manage (unknown, mistyped, another organisation's) is
 * a problem, not a filter quietly dropped: the page would show all the user's letters under
 * a name they asked about, and an export would be audited under it.
 */
export function avsenderChoiceProblem(chosen: string, managed: readonly string[], problems: FieldProblem[]): void {
  if (chosen !== '' && !managed.includes(chosen))
    problems.push({ field: 'avsender', message: `Ukjent avsender «${chosen}»: velg en av avsenderne du forvalter` });
}

/**
 * A search text, trimmed; `problems` gets a message when it is longer than MAX_SEARCH_CHARS
 * or holds a control character: a clerk types none into a search field, and SQLite's LIKE
 * ends its pattern at U+0000, so `tittel=a%00` matched every title beginning with a.
 */
export function searchText(value: string | undefined, field: string, label: string, problems: FieldProblem[]): string {
  const text = (value ?? '').trim();
  if (text.length > MAX_SEARCH_CHARS) {
    problems.push({ field, message: `«${label}» kan være høyst ${MAX_SEARCH_CHARS} tegn (var ${text.length})` });
    return '';
  }
  const control = /[\u0000-\u001f\u007f-\u009f]/.exec(text)?.[0];
  if (control !== undefined) {
    problems.push({ field, message: `«${label}» kan ikke inneholde kontrolltegn (${codePoint(control)})` });
    return '';
  }
  return text;
}

/**
 * The paging offset in `?side=` (0 when absent): digits only, at most MAX_OFFSET, so
 * `1e308`, `-1`, `NaN` and `0x10` are refused rather than coerced.
 */
export function pageOffset(value: string | undefined, problems: FieldProblem[], field = 'side'): number {
  const text = (value ?? '').trim();
  if (text === '') return 0;
  if (!/^\d{1,8}$/.test(text) || Number(text) > MAX_OFFSET) {
    problems.push({ field, message: `Ugyldig ${field}: «${field}» må være et helt tall fra 0 til ${MAX_OFFSET}` });
    return 0;
  }
  return Number(text);
}

/** A problem when `offset` lies past the last match (a page that does not exist); else none. */
export function offsetWithin(offset: number, total: number, problems: FieldProblem[]): void {
  if (offset > 0 && offset >= total) {
    problems.push({
      field: 'side',
      message: `Siden finnes ikke: søket har ${total} treff, og «side» (${offset}) ligger etter det siste`,
    });
  }
}

/**
 * The message a redirect's `?ok=` key names, or undefined for any other key: an own
 * property only, so `?ok=constructor` is no key (it once rendered Object's constructor).
 */
export function messageFor(table: Readonly<Record<string, string>>, key: string | undefined): string | undefined {
  return key !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;
}

/** A count in a redirect's query (`?bekreftet=3`): 1–6 digits, else undefined. */
export function smallCount(value: string | undefined): number | undefined {
  return value !== undefined && /^\d{1,6}$/.test(value) ? Number(value) : undefined;
}
