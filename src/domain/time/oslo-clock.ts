/**
 * Wall-clock time in Europe/Oslo from epoch milliseconds and back, using only
 * Intl.DateTimeFormat (no tz library). Everything the wire shows a user — historikk
 * timestamps (docs/interfaces.md §4), SOAP dateTimes (§5), business hours — is Oslo local time.
 */
import { type CalendarDate, utcEpoch } from './calendar-date.js';

/** The one time zone Budbringer shows and computes business hours in. */
export const OSLO_TIME_ZONE = 'Europe/Oslo';

/** A wall-clock reading: a calendar date plus a time of day. */
export interface LocalDateTime extends CalendarDate {
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
}

// Built once: constructing an Intl.DateTimeFormat is far slower than using one, and it
// holds no mutable state, so sharing it keeps the module pure.
const osloFormatter = new Intl.DateTimeFormat('en-US', {
  timeZone: OSLO_TIME_ZONE,
  hourCycle: 'h23',
  era: 'short',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

/** The Oslo wall-clock reading at instant `ms`, read from the formatter (any instant). */
function formattedOsloDateTime(ms: number): LocalDateTime {
  const fields: Record<string, string> = {};
  for (const part of osloFormatter.formatToParts(ms)) fields[part.type] = part.value;
  const yearOfEra = Number(fields.year);
  // Years before 1 AD come as "BC"; turn them into astronomical years (1 BC = year 0).
  const year = fields.era === 'BC' || fields.era === 'B' ? 1 - yearOfEra : yearOfEra;
  return {
    year,
    month: Number(fields.month),
    day: Number(fields.day),
    hour: Number(fields.hour),
    minute: Number(fields.minute),
    second: Number(fields.second),
    millisecond: ((ms % 1000) + 1000) % 1000,
  };
}

const HOUR_MS = 3_600_000;
// From 1980 Oslo's clocks change only at 01:00 UTC (Norway's rule of 1980, the EU's since),
// so one offset holds for a whole UTC hour; before 1980 (changes at other instants, local
// mean time before 1895) every reading goes through the formatter.
const CACHED_FROM = Date.UTC(1980, 0, 1);
const CACHED_UNTIL = Date.UTC(2200, 0, 1);
/** Oslo's offset in minutes by UTC hour (ms ÷ 1 h), filled as hours are asked for. */
const offsetByHour = new Map<number, number>();

/**
 * Oslo's offset at `ms` from the hour's cached reading, or undefined outside the years
 * cached. A formatter reading costs ~5 µs and date arithmetic (the retention period, the
 * read deadline's business hours) takes several per letter.
 */
function cachedOffsetMinutes(ms: number): number | undefined {
  if (!(ms >= CACHED_FROM && ms < CACHED_UNTIL)) return undefined;
  const hour = Math.floor(ms / HOUR_MS);
  let offset = offsetByHour.get(hour);
  if (offset === undefined) {
    offset = offsetFrom(formattedOsloDateTime(hour * HOUR_MS), hour * HOUR_MS);
    // Bounded: a long-running node asks for a few hours around now and its deadlines.
    if (offsetByHour.size >= 50_000) offsetByHour.clear();
    offsetByHour.set(hour, offset);
  }
  return offset;
}

/** The offset in minutes that makes `t` the wall-clock reading of instant `ms`. */
function offsetFrom(t: LocalDateTime, ms: number): number {
  const local = utcEpoch(t.year, t.month, t.day, t.hour, t.minute, t.second, t.millisecond);
  return Math.round((local - ms) / 60_000);
}

/** The Oslo wall-clock reading at instant `ms`. */
export function osloDateTime(ms: number): LocalDateTime {
  if (!Number.isFinite(ms)) throw new RangeError(`Ugyldig tidspunkt: ${ms}`);
  const offset = cachedOffsetMinutes(ms);
  if (offset === undefined) return formattedOsloDateTime(ms);
  const d = new Date(ms + offset * 60_000);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millisecond: d.getUTCMilliseconds(),
  };
}

/** The Oslo calendar date at instant `ms`. */
export function osloDate(ms: number): CalendarDate {
  const { year, month, day } = osloDateTime(ms);
  return { year, month, day };
}

/** Oslo's offset from UTC at instant `ms`, in minutes (+60 in winter, +120 in summer). */
export function osloOffsetMinutes(ms: number): number {
  if (!Number.isFinite(ms)) throw new RangeError(`Ugyldig tidspunkt: ${ms}`);
  return cachedOffsetMinutes(ms) ?? offsetFrom(formattedOsloDateTime(ms), ms);
}

/**
 * The instant at which Oslo's clocks show `local`. Like java.time's ZonedDateTime.of:
 * a time skipped by the spring change is moved forward by the gap (02:30 → 03:30);
 * a time that occurs twice in autumn takes `preferOffsetMinutes` when it is one of the
 * two, else the earlier instant (summer time).
 */
export function osloLocalToEpoch(local: LocalDateTime, preferOffsetMinutes?: number): number {
  const asUtc = utcEpoch(local.year, local.month, local.day, local.hour, local.minute, local.second, local.millisecond);
  // The offsets in force a day either side bracket any transition near this wall time.
  const offsetBefore = osloOffsetMinutes(asUtc - 86_400_000);
  const offsetAfter = osloOffsetMinutes(asUtc + 86_400_000);
  const candidates = [...new Set([offsetBefore, offsetAfter])]
    .map((offset) => asUtc - offset * 60_000)
    .filter((t) => t + osloOffsetMinutes(t) * 60_000 === asUtc)
    .sort((a, b) => a - b);
  if (candidates.length === 0) {
    // In the gap: read the wall time with the offset in force before the change.
    return asUtc - offsetBefore * 60_000;
  }
  const preferred = candidates.find((t) => osloOffsetMinutes(t) === preferOffsetMinutes);
  return preferred ?? (candidates[0] as number);
}
