/**
 * Calendar dates without a time zone (a day in Norway, a holiday). Pure arithmetic on
 * the proleptic Gregorian calendar; no clock reads.
 */

/** A calendar date; `month` is 1–12, `day` 1–31. */
export interface CalendarDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

const MS_PER_DAY = 86_400_000;

/** Epoch ms of a UTC wall-clock reading; unlike Date.UTC it does not map years 0–99 to 19xx. */
export function utcEpoch(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
  millisecond = 0,
): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, millisecond);
  return d.getTime();
}

/** True for leap years of the Gregorian calendar. */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Number of days in `month` (1–12) of `year`. */
export function daysInMonth(year: number, month: number): number {
  const lengths = [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  const n = lengths[month - 1];
  if (n === undefined) throw new RangeError(`Ugyldig måned: ${month}`);
  return n;
}

/** True when year/month/day are integers naming a day that exists. */
export function isValidCalendarDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

/** The date `days` days after (or before, if negative) `date`. */
export function addDays(date: CalendarDate, days: number): CalendarDate {
  const d = new Date(utcEpoch(date.year, date.month, date.day) + days * MS_PER_DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** ISO day of week: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: CalendarDate): number {
  const js = new Date(utcEpoch(date.year, date.month, date.day)).getUTCDay();
  return js === 0 ? 7 : js;
}

/** Compares two dates: negative, zero or positive like a sort comparator. */
export function compareCalendarDates(a: CalendarDate, b: CalendarDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/** `yyyy-MM-dd`. */
export function formatCalendarDate(date: CalendarDate): string {
  return `${String(date.year).padStart(4, '0')}-${pad2(date.month)}-${pad2(date.day)}`;
}

/** Parses `yyyy-MM-dd`; throws RangeError for anything else or a day that does not exist. */
export function parseCalendarDate(s: string): CalendarDate {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  const [year, month, day] = [Number(m?.[1]), Number(m?.[2]), Number(m?.[3])];
  if (!m || !isValidCalendarDate(year, month, day)) throw new RangeError(`Ugyldig dato: «${s}» (forventet åååå-MM-dd)`);
  return { year, month, day };
}

/** Two-digit zero padding. */
export function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
