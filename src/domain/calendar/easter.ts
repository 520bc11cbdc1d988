/** Easter Sunday, from which Norway's movable public holidays are counted. */
import type { CalendarDate } from '../time/index.js';

/**
 * Easter Sunday of a Gregorian year, by the anonymous Gregorian computus
 * (Meeus/Jones/Butcher). Valid from 1583, the first full Gregorian year.
 */
export function easterSunday(year: number): CalendarDate {
  if (!Number.isInteger(year) || year < 1583) throw new RangeError(`Ugyldig år: ${year} (må være 1583 eller senere)`);
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const n = h + l - 7 * m + 114;
  return { year, month: Math.floor(n / 31), day: (n % 31) + 1 };
}
