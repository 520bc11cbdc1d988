/** Business-day calendar: Norwegian public holidays, virkedager and the print deadline. */
export { easterSunday } from './easter.js';
export type { PublicHoliday } from './holidays.js';
export { isNorwegianPublicHoliday, norwegianPublicHolidays, publicHolidayNames } from './holidays.js';
export { isVirkedag, nextVirkedag } from './virkedag.js';
export { PRINT_DEADLINE_BUSINESS_DAYS, addBusinessDays, printDeadline } from './print-deadline.js';
