/** Business days (virkedager): Monday–Friday except Norwegian public holidays (docs/architecture.md glossary). */
import { addDays, isoWeekday, type CalendarDate } from '../time/index.js';
import { isNorwegianPublicHoliday } from './holidays.js';

/** True when `date` is a Monday–Friday that is not a public holiday. */
export function isVirkedag(date: CalendarDate): boolean {
  return isoWeekday(date) <= 5 && !isNorwegianPublicHoliday(date);
}

/** The first business day strictly after `date`. */
export function nextVirkedag(date: CalendarDate): CalendarDate {
  let d = addDays(date, 1);
  while (!isVirkedag(d)) d = addDays(d, 1);
  return d;
}
