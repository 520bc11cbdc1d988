/** Business-day calendar: Norwegian public holidays, virkedager and working hours. */
export { easterSunday } from './easter.js';
export type { PublicHoliday } from './holidays.js';
export { isNorwegianPublicHoliday, norwegianPublicHolidays, publicHolidayNames } from './holidays.js';
export { isVirkedag, nextVirkedag } from './virkedag.js';
export {
  PRINT_DEADLINE_WORKING_HOURS,
  WORKDAY_END_HOUR,
  WORKDAY_START_HOUR,
  addWorkingHours,
  isWorkingTime,
  printDeadline,
} from './working-hours.js';
