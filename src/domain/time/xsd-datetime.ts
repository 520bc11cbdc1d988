/**
 * Lenient xsd:dateTime reading for values from the wire (docs/interfaces.md §5: "dateTime ISO 8601
 * with or without offset/fraction", e.g. `2018-01-01T00:00:00.000Z`). A value without
 * an offset is Oslo local time, which is what Norwegian fagsystemer mean by it.
 */
import { BadRequestError } from '../errors.js';
import { addDays, isValidCalendarDate, utcEpoch } from './calendar-date.js';
import { osloLocalToEpoch } from './oslo-clock.js';

// Date, optional time (seconds optional, fraction with . or ,), optional Z / ±hh:mm / ±hhmm.
// A bare date is accepted too (clients put xsd:date values in dateTime fields).
const XSD_DATE_TIME =
  /^(-?\d{4,})-(\d{2})-(\d{2})(?:[Tt](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?([Zz]|[+-]\d{2}:?\d{2})?$/;

/**
 * Epoch ms of an xsd:dateTime. Throws BadRequestError (HTTP 400 / SOAP fault) naming
 * `field` when the text is not a real date and time.
 */
export function parseXsdDateTime(s: string, field = 'dato'): number {
  const ms = tryParseXsdDateTime(s);
  if (ms === undefined) {
    throw new BadRequestError(
      `Ugyldig dato/tid: ${field} må være en xsd:dateTime som 2018-01-01T00:00:00.000+01:00 (fikk «${s}»)`,
    );
  }
  return ms;
}

/**
 * A JavaScript Date holds ±8.64e15 ms around 1970 (years −271 821 to 275 760); a day less
 * either way, so that Oslo's offset can still be found for it (oslo-clock.ts looks a day
 * ahead and behind) and every formatter can write it.
 */
const MAX_DATE_MS = 8.64e15 - 86_400_000;

/**
 * Like parseXsdDateTime, but undefined instead of an error. A year xsd allows but a Date
 * cannot hold (past ±275 760) is undefined too, never NaN or a thrown RangeError.
 */
export function tryParseXsdDateTime(s: string): number | undefined {
  // xsd:dateTime has whiteSpace="collapse": surrounding blanks are not part of the value.
  const m = XSD_DATE_TIME.exec(s.trim());
  if (!m) return undefined;
  // Six digits of year reach past what a Date holds; more are refused before any arithmetic.
  if (m[1] !== undefined && m[1].replace('-', '').length > 6) return undefined;
  let ms: number | undefined;
  try {
    ms = epochOf(m);
  } catch {
    return undefined;
  }
  return ms !== undefined && Number.isFinite(ms) && Math.abs(ms) <= MAX_DATE_MS ? ms : undefined;
}

/** The epoch ms of a matched xsd:dateTime, or undefined when its fields are not a real date and time. */
function epochOf(m: RegExpExecArray): number | undefined {
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  let [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  // Truncate to milliseconds; finer digits cannot be represented in epoch ms.
  const millisecond = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  if (!isValidCalendarDate(year, month, day) || minute > 59 || second > 59) return undefined;
  let date = { year, month, day };
  if (hour === 24) {
    // xsd allows 24:00:00 for the end of a day, i.e. the next day's midnight.
    if (minute !== 0 || second !== 0 || millisecond !== 0) return undefined;
    date = addDays(date, 1);
    hour = 0;
  } else if (hour > 23) {
    return undefined;
  }
  const local = { ...date, hour, minute, second, millisecond };
  const zone = m[8];
  if (zone === undefined) return osloLocalToEpoch(local);
  if (zone === 'Z' || zone === 'z') return utcOf(local, 0);
  const zm = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  const [oh, om] = [Number(zm?.[2]), Number(zm?.[3])];
  // xsd:dateTime offsets lie within ±14:00.
  if (!zm || om > 59 || oh * 60 + om > 14 * 60) return undefined;
  return utcOf(local, (zm[1] === '-' ? -1 : 1) * (oh * 60 + om));
}

/** Epoch ms of a wall-clock reading at a fixed offset (minutes east of UTC). */
function utcOf(
  t: { year: number; month: number; day: number; hour: number; minute: number; second: number; millisecond: number },
  offsetMinutes: number,
): number {
  return utcEpoch(t.year, t.month, t.day, t.hour, t.minute, t.second, t.millisecond) - offsetMinutes * 60_000;
}
