/**
 * Norwegian public holidays (helligdager and the two lovbestemte høytidsdager 1 and 17
 * May). They are not business days (docs/architecture.md, "Print fallback"; glossary: virkedag).
 * Christmas Eve and New Year's Eve are ordinary weekdays in law and stay business days.
 */
import { addDays, compareCalendarDates, type CalendarDate } from '../time/index.js';
import { easterSunday } from './easter.js';

/** One public holiday: the date and its Norwegian name. */
export interface PublicHoliday {
  readonly date: CalendarDate;
  readonly name: string;
}

/** Offsets from Easter Sunday of the movable holidays. */
const MOVABLE: readonly (readonly [number, string])[] = [
  [-3, 'Skjærtorsdag'],
  [-2, 'Langfredag'],
  [0, '1. påskedag'],
  [1, '2. påskedag'],
  [39, 'Kristi himmelfartsdag'],
  [49, '1. pinsedag'],
  [50, '2. pinsedag'],
];

/** [month, day, name] of the fixed holidays. */
const FIXED: readonly (readonly [number, number, string])[] = [
  [1, 1, '1. nyttårsdag'],
  [5, 1, 'Offentlig høytidsdag'],
  [5, 17, 'Grunnlovsdag'],
  [12, 25, '1. juledag'],
  [12, 26, '2. juledag'],
];

/** The twelve public holidays of `year` in date order (two may share a date, e.g. 17 May 2027). */
export function norwegianPublicHolidays(year: number): PublicHoliday[] {
  const easter = easterSunday(year);
  const movable = MOVABLE.map(([offset, name]) => ({ date: addDays(easter, offset), name }));
  const fixed = FIXED.map(([month, day, name]) => ({ date: { year, month, day }, name }));
  return [...fixed, ...movable].sort((a, b) => compareCalendarDates(a.date, b.date));
}

/** Names of the public holidays falling on `date` (empty when none). */
export function publicHolidayNames(date: CalendarDate): string[] {
  return norwegianPublicHolidays(date.year)
    .filter((h) => compareCalendarDates(h.date, date) === 0)
    .map((h) => h.name);
}

/** True when `date` is a Norwegian public holiday. */
export function isNorwegianPublicHoliday(date: CalendarDate): boolean {
  return publicHolidayNames(date).length > 0;
}
