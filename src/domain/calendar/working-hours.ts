/**
 * Working-hour arithmetic for the print fallback (docs/architecture.md step 8; docs/interfaces.md §7: "the read
 * deadline (40 working hours in 2016)"). Working time is Monday–Friday 08:00–16:00
 * Europe/Oslo on business days, so one business day holds 8 working hours.
 */
import { addDays, osloDate, osloLocalToEpoch, type CalendarDate } from '../time/index.js';
import { isVirkedag } from './virkedag.js';

/** Working time starts at 08:00 Oslo time. */
export const WORKDAY_START_HOUR = 8;
/** Working time ends at 16:00 Oslo time. */
export const WORKDAY_END_HOUR = 16;
/** Working hours an unread digital letter waits before it goes to print (product decision). */
export const PRINT_DEADLINE_WORKING_HOURS = 40;

const MS_PER_HOUR = 3_600_000;

/** The instant of `hour`:00 Oslo time on `date`. */
function osloHourOn(date: CalendarDate, hour: number): number {
  return osloLocalToEpoch({ ...date, hour, minute: 0, second: 0, millisecond: 0 });
}

/**
 * The instant at which `hours` working hours have passed since `startMs`. A start
 * outside working time begins counting at the next working-time start; a result that
 * lands exactly on a day's end is that day's 16:00, not the next morning. Wall-clock
 * bounds come from the Oslo zone each day, so DST changes shift nothing.
 */
export function addWorkingHours(startMs: number, hours: number): number {
  if (!Number.isFinite(startMs)) throw new RangeError(`Ugyldig starttidspunkt: ${startMs}`);
  if (!Number.isFinite(hours) || hours < 0) throw new RangeError(`Ugyldig antall arbeidstimer: ${hours}`);
  let remaining = Math.round(hours * MS_PER_HOUR);
  if (remaining === 0) return startMs;
  let date = osloDate(startMs);
  for (;;) {
    if (isVirkedag(date)) {
      const from = Math.max(startMs, osloHourOn(date, WORKDAY_START_HOUR));
      const close = osloHourOn(date, WORKDAY_END_HOUR);
      if (from < close) {
        if (remaining <= close - from) return from + remaining;
        remaining -= close - from;
      }
    }
    date = addDays(date, 1);
  }
}

/** When an unread digital letter sent at `sentMs` goes to print: 40 working hours later. */
export function printDeadline(sentMs: number): number {
  return addWorkingHours(sentMs, PRINT_DEADLINE_WORKING_HOURS);
}

/** True when `ms` falls within working time (business day, 08:00 ≤ t < 16:00 Oslo). */
export function isWorkingTime(ms: number): boolean {
  const date = osloDate(ms);
  return isVirkedag(date) && ms >= osloHourOn(date, WORKDAY_START_HOUR) && ms < osloHourOn(date, WORKDAY_END_HOUR);
}
