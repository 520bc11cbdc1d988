/**
 * ISO 8601 / xsd:duration values such as the retention period `P3M` (docs/architecture.md,
 * "Retention") or a read deadline `PT2M` in a test environment (docs/interfaces.md §7).
 */
import { addDays, daysInMonth } from './calendar-date.js';
import { osloDateTime, osloLocalToEpoch, osloOffsetMinutes } from './oslo-clock.js';

/** A parsed duration: each component as written; only seconds may have a fraction. */
export interface IsoDuration {
  readonly negative: boolean;
  readonly years: number;
  readonly months: number;
  readonly weeks: number;
  readonly days: number;
  readonly hours: number;
  readonly minutes: number;
  readonly seconds: number;
}

// xsd:duration syntax plus ISO's W designator and decimal comma. Fractions only on
// seconds, as xsd:duration and java.time.Duration allow.
const DURATION =
  /^(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

/** Parses `P3M`, `PT2M`, `P2DT3H`, `PT0.5S` …; throws RangeError with a Norwegian message otherwise. */
export function parseIsoDuration(s: string): IsoDuration {
  const text = s.trim();
  const m = DURATION.exec(text);
  // "P", "PT" and "P1DT" match the pattern but name no amount (or a T with nothing after).
  const invalid = !m || /[PT]$/.test(text) || m.slice(2).every((g) => g === undefined);
  if (invalid) throw new RangeError(`Ugyldig varighet: «${s}» er ikke en ISO 8601-varighet (f.eks. P3M, PT2M, P2DT3H)`);
  const num = (g: string | undefined): number => (g === undefined ? 0 : Number(g.replace(',', '.')));
  const d: IsoDuration = {
    negative: m[1] === '-',
    years: num(m[2]),
    months: num(m[3]),
    weeks: num(m[4]),
    days: num(m[5]),
    hours: num(m[6]),
    minutes: num(m[7]),
    seconds: num(m[8]),
  };
  for (const v of Object.values(d)) {
    if (typeof v === 'number' && !Number.isSafeInteger(Math.floor(v))) {
      throw new RangeError(`Ugyldig varighet: «${s}» er for stor`);
    }
  }
  return d;
}

/**
 * Adds `d` to instant `ms`. Years, months, weeks and days move the Oslo calendar date
 * and keep the wall-clock time (so P1D across a DST change is 23 or 25 hours, and
 * 31 January + P1M is 28/29 February); hours, minutes and seconds are elapsed time.
 * The calendar part is applied first, as java.time does.
 */
export function addIsoDuration(ms: number, d: IsoDuration): number {
  const sign = d.negative ? -1 : 1;
  let result = ms;
  const calendarMonths = d.years * 12 + d.months;
  const calendarDays = d.weeks * 7 + d.days;
  if (calendarMonths !== 0 || calendarDays !== 0) {
    const t = osloDateTime(ms);
    const monthIndex = t.year * 12 + (t.month - 1) + sign * calendarMonths;
    const year = Math.floor(monthIndex / 12);
    const month = monthIndex - year * 12 + 1;
    const day = Math.min(t.day, daysInMonth(year, month));
    const date = addDays({ year, month, day }, sign * calendarDays);
    result = osloLocalToEpoch({ ...t, ...date }, osloOffsetMinutes(ms));
  }
  const elapsed = d.hours * 3_600_000 + d.minutes * 60_000 + Math.round(d.seconds * 1000);
  return result + sign * elapsed;
}
