/** Date fields of the admin forms (`yyyy-MM-dd`, Oslo calendar days) as epoch-ms bounds. */
import { addDays, formatCalendarDate, osloDate, osloLocalToEpoch, parseCalendarDate, type CalendarDate } from '../../domain/time/index.js';

/** Oslo midnight at the start of `date`. */
export function osloMidnight(date: CalendarDate): number {
  return osloLocalToEpoch({ ...date, hour: 0, minute: 0, second: 0, millisecond: 0 });
}

/** Parses an optional date field; `problems` gets a Norwegian message naming the field when invalid. */
export function parseDateField(value: string | undefined, field: string, label: string, problems: { field: string; message: string }[]): CalendarDate | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  try {
    return parseCalendarDate(value.trim());
  } catch {
    problems.push({ field, message: `Ugyldig dato i «${label}»: bruk formatet åååå-mm-dd` });
    return undefined;
  }
}

/** The half-open interval [fra 00:00, dagen etter til 00:00) in epoch ms. */
export function periodBounds(fra: CalendarDate | undefined, til: CalendarDate | undefined): { fra?: number; til?: number } {
  return {
    fra: fra === undefined ? undefined : osloMidnight(fra),
    til: til === undefined ? undefined : osloMidnight(addDays(til, 1)),
  };
}

/** Today's date in Oslo as `yyyy-MM-dd`. */
export function osloToday(now: number): CalendarDate {
  return osloDate(now);
}

/** `yyyy-MM-dd`. */
export function isoDate(date: CalendarDate): string {
  return formatCalendarDate(date);
}
