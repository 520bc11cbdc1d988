/**
 * When an unread digital letter goes to print: after two business days (docs/architecture.md
 * step 8; the admin web's help and the home page say so to their readers). The deadline is
 * the same Oslo wall-clock time on the second business day after the notification, counted
 * from working time (Mon–Fri 08:00–16:00, Norwegian public holidays excepted): a letter
 * notified at night or on a weekend counts from 08:00 of the next business day. Until 6 December 2026 it was 40 working hours of 8 a day
 * (Mon–Fri 08–16), five business days, found in review against the product's two.
 * SvarUt's own read deadline was "40 working hours" in 2016 (docs/interfaces.md §7): hours
 * of business days, 40 of them pass in under two, so two business days is within its letter.
 */
import { osloDateTime, osloLocalToEpoch, type CalendarDate } from '../time/index.js';
import { isVirkedag, nextVirkedag } from './virkedag.js';

/** Business days an unread digital letter waits before it goes to print. */
export const PRINT_DEADLINE_BUSINESS_DAYS = 2;

/**
 * The instant `days` business days after `startMs`: its Oslo wall-clock time on the
 * `days`-th business day after its date; a start on another day counts from 00:00 of the
 * next business day. Wall-clock, so a DST change in between shifts nothing.
 */
export function addBusinessDays(startMs: number, days: number): number {
  if (!Number.isFinite(startMs)) throw new RangeError(`Ugyldig starttidspunkt: ${startMs}`);
  if (!Number.isSafeInteger(days) || days < 0) throw new RangeError(`Ugyldig antall virkedager: ${days}`);
  let local = osloDateTime(startMs);
  let date: CalendarDate = { year: local.year, month: local.month, day: local.day };
  if (!isVirkedag(date)) {
    date = nextVirkedag(date);
    local = { ...local, hour: 0, minute: 0, second: 0, millisecond: 0 };
  }
  for (let i = 0; i < days; i++) date = nextVirkedag(date);
  return osloLocalToEpoch({ ...local, year: date.year, month: date.month, day: date.day });
}

/** Working time starts at 08:00 and ends at 16:00 Oslo time, on business days. */
const WORKDAY_START_HOUR = 8;
const WORKDAY_END_HOUR = 16;

/**
 * `ms`, or when it falls outside working time, the start of the next: 08:00 the same
 * business day before it, else 08:00 of the next business day.
 */
function nextWorkingTime(ms: number): number {
  const local = osloDateTime(ms);
  const date: CalendarDate = { year: local.year, month: local.month, day: local.day };
  const at = (d: CalendarDate): number =>
    osloLocalToEpoch({ ...d, hour: WORKDAY_START_HOUR, minute: 0, second: 0, millisecond: 0 });
  if (isVirkedag(date) && local.hour < WORKDAY_START_HOUR) return at(date);
  if (isVirkedag(date) && local.hour < WORKDAY_END_HOUR) return ms;
  return at(nextVirkedag(date));
}

/**
 * When an unread digital letter notified at `notifiedMs` goes to print: two business days
 * after the notification, counted from working time (a letter notified at night counts from
 * 08:00), so the deadline, and a reminder a whole number of days before it, fall in
 * working hours, not at 02:00 (found in review).
 */
export function printDeadline(notifiedMs: number): number {
  return addBusinessDays(nextWorkingTime(notifiedMs), PRINT_DEADLINE_BUSINESS_DAYS);
}
