/**
 * Date fields of the admin forms (`yyyy-MM-dd`, Oslo calendar days) as epoch-ms bounds,
 * and the window they must lie in. A query over year 0001…9999 once held the event loop
 * for 26 s (issue 13): every date is checked against a sane window before anything runs.
 */
import type { FieldProblem } from '../../domain/errors.js';
import {
  addDays,
  compareCalendarDates,
  formatCalendarDate,
  osloDate,
  osloLocalToEpoch,
  parseCalendarDate,
  type CalendarDate,
} from '../../domain/time/index.js';

/** The earliest date an admin query may name (no letter is older than the service). */
export const EARLIEST_DATE: CalendarDate = { year: 2000, month: 1, day: 1 };

/** How far past today a date may lie: one year (a period "to the end of next year" still works). */
export const LATEST_YEARS_AHEAD = 1;

/** Oslo midnight at the start of `date`. */
export function osloMidnight(date: CalendarDate): number {
  return osloLocalToEpoch({ ...date, hour: 0, minute: 0, second: 0, millisecond: 0 });
}

/** The latest date an admin query may name, seen from `now`. */
export function latestDate(now: number): CalendarDate {
  const today = osloDate(now);
  // 29 February + 1 year is 1 March.
  const next = { ...today, year: today.year + LATEST_YEARS_AHEAD };
  return today.month === 2 && today.day === 29 ? { year: next.year, month: 3, day: 1 } : next;
}

/**
 * Parses an optional date field within [EARLIEST_DATE, today + 1 year]; `problems` gets a
 * Norwegian message naming the field when the value is not such a date.
 */
export function parseDateField(
  value: string | undefined,
  field: string,
  label: string,
  problems: FieldProblem[],
  now: number,
): CalendarDate | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  let date: CalendarDate;
  try {
    // Only `yyyy-MM-dd` is tried: a long value is refused before any parsing.
    date = parseCalendarDate(value.trim().slice(0, 11));
  } catch {
    problems.push({ field, message: `Ugyldig dato i «${label}»: bruk formatet åååå-mm-dd` });
    return undefined;
  }
  const latest = latestDate(now);
  if (compareCalendarDates(date, EARLIEST_DATE) < 0 || compareCalendarDates(date, latest) > 0) {
    problems.push({
      field,
      message: `Ugyldig dato i «${label}»: må ligge mellom ${formatCalendarDate(EARLIEST_DATE)} og ${formatCalendarDate(latest)}`,
    });
    return undefined;
  }
  return date;
}

/**
 * Checks a period: «til» not before «fra», and at most `maxYears` long; `problems` gets a
 * message on the «til» field otherwise. True when the period may be queried.
 */
export function checkPeriod(
  fra: CalendarDate | undefined,
  til: CalendarDate | undefined,
  maxYears: number,
  labels: { fra: string; til: string },
  problems: FieldProblem[],
): boolean {
  if (fra === undefined || til === undefined) return true;
  if (compareCalendarDates(til, fra) < 0) {
    problems.push({ field: 'til', message: `«${labels.til}» kan ikke være før «${labels.fra}»` });
    return false;
  }
  if (compareCalendarDates(addDays(fra, Math.ceil(maxYears * 366)), til) < 0) {
    problems.push({ field: 'til', message: `Perioden kan være høyst ${maxYears} år` });
    return false;
  }
  return true;
}

/** The half-open interval [fra 00:00, dagen etter til 00:00) in epoch ms. */
export function periodBounds(
  fra: CalendarDate | undefined,
  til: CalendarDate | undefined,
): { fra?: number; til?: number } {
  return {
    fra: fra === undefined ? undefined : osloMidnight(fra),
    til: til === undefined ? undefined : osloMidnight(addDays(til, 1)),
  };
}

/** Today's date in Oslo. */
export function osloToday(now: number): CalendarDate {
  return osloDate(now);
}

/** `yyyy-MM-dd`. */
export function isoDate(date: CalendarDate): string {
  return formatCalendarDate(date);
}
