import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  easterSunday,
  isNorwegianPublicHoliday,
  isVirkedag,
  nextVirkedag,
  norwegianPublicHolidays,
  publicHolidayNames,
} from '../../../src/domain/calendar/index.js';
import { formatCalendarDate, parseCalendarDate } from '../../../src/domain/time/index.js';

const d = parseCalendarDate;

/** Knuth's Easter algorithm (TAOCP 1.3.2 ex. 14), via the epact: independent of the computus under test. */
function knuthEaster(year: number): string {
  const golden = (year % 19) + 1;
  const century = Math.floor(year / 100) + 1;
  const x = Math.floor((3 * century) / 4) - 12;
  const z = Math.floor((8 * century + 5) / 25) - 5;
  const sunday = Math.floor((5 * year) / 4) - x - 10;
  let epact = (11 * golden + 20 + z - x) % 30;
  if ((epact === 25 && golden > 11) || epact === 24) epact += 1;
  let n = 44 - epact;
  if (n < 21) n += 30;
  n = n + 7 - ((sunday + n) % 7);
  return n > 31 ? `${year}-04-${String(n - 31).padStart(2, '0')}` : `${year}-03-${String(n).padStart(2, '0')}`;
}

describe('easterSunday', () => {
  it('gives known Easter Sundays, the extremes included', () => {
    const known = [
      '1583-04-10',
      '1818-03-22',
      '1943-04-25',
      '1961-04-02',
      '2000-04-23',
      '2008-03-23',
      '2011-04-24',
      '2024-03-31',
      '2025-04-20',
      '2026-04-05',
      '2027-03-28',
      '2028-04-16',
      '2038-04-25',
      '2285-03-22',
    ];
    for (const date of known) assert.equal(formatCalendarDate(easterSunday(Number(date.slice(0, 4)))), date);
  });

  it('agrees with an independent algorithm for every year 1583–4099', () => {
    for (let year = 1583; year <= 4099; year++) {
      assert.equal(formatCalendarDate(easterSunday(year)), knuthEaster(year), String(year));
    }
  });

  it('refuses years before the Gregorian calendar', () => {
    assert.throws(() => easterSunday(1582), RangeError);
    assert.throws(() => easterSunday(2027.5), RangeError);
  });
});

describe('norwegianPublicHolidays', () => {
  it('lists the twelve holidays of 2027 in date order', () => {
    assert.deepEqual(
      norwegianPublicHolidays(2027).map((h) => `${formatCalendarDate(h.date)} ${h.name}`),
      [
        '2027-01-01 1. nyttårsdag',
        '2027-03-25 Skjærtorsdag',
        '2027-03-26 Langfredag',
        '2027-03-28 1. påskedag',
        '2027-03-29 2. påskedag',
        '2027-05-01 Offentlig høytidsdag',
        '2027-05-06 Kristi himmelfartsdag',
        '2027-05-16 1. pinsedag',
        '2027-05-17 Grunnlovsdag',
        '2027-05-17 2. pinsedag',
        '2027-12-25 1. juledag',
        '2027-12-26 2. juledag',
      ],
    );
  });

  it('names both holidays when two share a day', () => {
    assert.deepEqual(publicHolidayNames(d('2027-05-17')), ['Grunnlovsdag', '2. pinsedag']);
    assert.deepEqual(publicHolidayNames(d('2027-05-18')), []);
  });

  it('does not count Christmas Eve or New Year’s Eve as holidays', () => {
    assert.equal(isNorwegianPublicHoliday(d('2026-12-24')), false);
    assert.equal(isNorwegianPublicHoliday(d('2026-12-31')), false);
    assert.equal(isNorwegianPublicHoliday(d('2026-12-25')), true);
  });
});

describe('isVirkedag', () => {
  it('is true on an ordinary weekday and false at weekends', () => {
    assert.equal(isVirkedag(d('2027-01-04')), true); // Monday
    assert.equal(isVirkedag(d('2027-01-08')), true); // Friday
    assert.equal(isVirkedag(d('2027-01-09')), false); // Saturday
    assert.equal(isVirkedag(d('2027-01-10')), false); // Sunday
  });

  it('is false on weekday holidays around Easter and Whitsun 2027', () => {
    for (const date of ['2027-03-25', '2027-03-26', '2027-03-29', '2027-05-06', '2027-05-17', '2027-01-01']) {
      assert.equal(isVirkedag(d(date)), false, date);
    }
    for (const date of ['2027-03-24', '2027-03-30', '2027-05-07', '2027-05-18', '2026-12-24', '2026-12-31']) {
      assert.equal(isVirkedag(d(date)), true, date);
    }
  });

  it('finds the next business day across Easter and New Year', () => {
    assert.deepEqual(nextVirkedag(d('2027-03-24')), d('2027-03-30'));
    assert.deepEqual(nextVirkedag(d('2026-12-31')), d('2027-01-04'));
    assert.deepEqual(nextVirkedag(d('2026-12-23')), d('2026-12-24'));
  });
});
