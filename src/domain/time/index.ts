/** Pure time helpers: Oslo wall clock, wire timestamp formats, ISO durations, xsd:dateTime. */
export type { CalendarDate } from './calendar-date.js';
export {
  addDays,
  compareCalendarDates,
  daysInMonth,
  formatCalendarDate,
  isLeapYear,
  isValidCalendarDate,
  isoWeekday,
  pad2,
  parseCalendarDate,
  utcEpoch,
} from './calendar-date.js';
export type { LocalDateTime } from './oslo-clock.js';
export { OSLO_TIME_ZONE, osloDate, osloDateTime, osloLocalToEpoch, osloOffsetMinutes } from './oslo-clock.js';
export { formatIsoWithOffset, formatOsloTimestamp } from './format-oslo.js';
export type { IsoDuration } from './iso-duration.js';
export { addIsoDuration, parseIsoDuration } from './iso-duration.js';
export { parseXsdDateTime, tryParseXsdDateTime } from './xsd-datetime.js';
