import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  PRINT_DEADLINE_WORKING_HOURS,
  addWorkingHours,
  isWorkingTime,
  printDeadline,
} from '../../../src/domain/calendar/index.js';
import { formatIsoWithOffset, osloLocalToEpoch } from '../../../src/domain/time/index.js';

const H = 3_600_000;
/** Epoch ms of an Oslo wall-clock time given as `yyyy-MM-dd HH:mm`. */
function oslo(s: string): number {
  const [y, mo, d, h, mi] = s.split(/[- :]/).map(Number) as [number, number, number, number, number];
  return osloLocalToEpoch({ year: y, month: mo, day: d, hour: h, minute: mi, second: 0, millisecond: 0 });
}
const show = (ms: number) => formatIsoWithOffset(ms);

describe('addWorkingHours (Mon–Fri 08:00–16:00 Europe/Oslo)', () => {
  it('counts 8 working hours per ordinary business day', () => {
    assert.equal(show(addWorkingHours(oslo('2027-01-11 10:00'), 40)), show(oslo('2027-01-18 10:00')));
    assert.equal(show(addWorkingHours(oslo('2027-01-11 08:00'), 8)), show(oslo('2027-01-11 16:00')));
    assert.equal(show(addWorkingHours(oslo('2027-01-11 08:00'), 40)), show(oslo('2027-01-15 16:00')));
    assert.equal(show(addWorkingHours(oslo('2027-01-11 15:45'), 0.5)), show(oslo('2027-01-12 08:15')));
  });

  it('starts counting at the next working-time start when sent outside it', () => {
    assert.equal(show(addWorkingHours(oslo('2027-01-11 06:00'), 1)), show(oslo('2027-01-11 09:00')));
    assert.equal(show(addWorkingHours(oslo('2027-01-11 17:00'), 1)), show(oslo('2027-01-12 09:00')));
    assert.equal(show(addWorkingHours(oslo('2027-01-16 12:00'), 1)), show(oslo('2027-01-18 09:00'))); // Saturday
    assert.equal(show(addWorkingHours(oslo('2027-01-11 16:00'), 1)), show(oslo('2027-01-12 09:00')));
  });

  it('carries a letter sent on a Friday afternoon over the weekend', () => {
    assert.equal(show(addWorkingHours(oslo('2027-01-15 15:30'), 1)), show(oslo('2027-01-18 08:30')));
    assert.equal(show(printDeadline(oslo('2027-01-15 14:00'))), show(oslo('2027-01-22 14:00')));
  });

  it('skips Skjærtorsdag, Langfredag and 2. påskedag 2027', () => {
    // Wed 24 Mar 12:00: 4 h that day, then Tue 30 Mar … Fri 2 Apr (32 h), then 4 h on Mon 5 Apr.
    assert.equal(show(printDeadline(oslo('2027-03-24 12:00'))), '2027-04-05T12:00:00.000+02:00');
    assert.equal(show(addWorkingHours(oslo('2027-03-24 15:00'), 2)), '2027-03-30T09:00:00.000+02:00');
  });

  it('skips Kristi himmelfartsdag and 2. pinsedag (= 17 May) 2027', () => {
    assert.equal(show(printDeadline(oslo('2027-05-05 09:00'))), show(oslo('2027-05-13 09:00')));
    assert.equal(show(printDeadline(oslo('2027-05-14 12:00'))), show(oslo('2027-05-24 12:00')));
  });

  it('skips Christmas and New Year 2026–2027 but counts Christmas Eve and New Year’s Eve', () => {
    assert.equal(show(printDeadline(oslo('2026-12-23 10:00'))), show(oslo('2026-12-31 10:00')));
    assert.equal(show(printDeadline(oslo('2026-12-28 09:00'))), show(oslo('2027-01-05 09:00')));
  });

  it('keeps 08:00 local across the spring DST change', () => {
    const fri = oslo('2026-03-27 15:00');
    assert.equal(fri, Date.UTC(2026, 2, 27, 14));
    const mon = addWorkingHours(fri, 1.5);
    assert.equal(mon, Date.UTC(2026, 2, 30, 6, 30)); // 08:30+02:00
    assert.equal(mon - fri, 64.5 * H); // the weekend lost an hour
  });

  it('keeps local times across the autumn DST change', () => {
    const sent = oslo('2026-10-23 15:30');
    assert.equal(sent, Date.UTC(2026, 9, 23, 13, 30));
    const deadline = printDeadline(sent);
    assert.equal(show(deadline), '2026-10-30T15:30:00.000+01:00');
    assert.equal(deadline - sent, (7 * 24 + 1) * H);
  });

  it('returns the start itself for zero hours and refuses negative or non-finite input', () => {
    const saturday = oslo('2027-01-16 12:00');
    assert.equal(addWorkingHours(saturday, 0), saturday);
    assert.throws(() => addWorkingHours(saturday, -1), RangeError);
    assert.throws(() => addWorkingHours(saturday, Number.NaN), RangeError);
    assert.throws(() => addWorkingHours(Number.POSITIVE_INFINITY, 1), RangeError);
  });

  it('uses 40 working hours for the print deadline', () => {
    assert.equal(PRINT_DEADLINE_WORKING_HOURS, 40);
  });
});

describe('addWorkingHours against a minute-by-minute count', () => {
  // Independent of the code under test: its own Oslo clock and a hand-written holiday list.
  const HOLIDAYS = new Set([
    '2026-01-01',
    '2026-04-02',
    '2026-04-03',
    '2026-04-06',
    '2026-05-01',
    '2026-05-14',
    '2026-05-25',
    '2026-05-17',
    '2026-12-25',
    '2026-12-26',
    '2027-01-01',
    '2027-03-25',
    '2027-03-26',
    '2027-03-29',
    '2027-05-01',
    '2027-05-06',
    '2027-05-17',
    '2027-12-25',
    '2027-12-26',
    '2028-01-01',
  ]);
  const fmt = new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Europe/Oslo',
    weekday: 'short',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  function isWorkingMinute(ms: number): boolean {
    const p = Object.fromEntries(fmt.formatToParts(ms).map((x) => [x.type, x.value]));
    if (p.weekday === 'lör' || p.weekday === 'sön') return false;
    if (HOLIDAYS.has(`${p.year}-${p.month}-${p.day}`)) return false;
    const hour = Number(p.hour);
    return hour >= 8 && hour < 16;
  }
  function bruteForce(start: number, hours: number): number {
    let cursor = start;
    for (let counted = 0; counted < hours * 60; cursor += 60_000) if (isWorkingMinute(cursor)) counted++;
    return cursor;
  }

  it('agrees for 60 pseudo-random starts in 2026–2027', () => {
    let seed = 20_270_328;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
    const from = Date.UTC(2026, 0, 1);
    for (let i = 0; i < 60; i++) {
      const start = from + (next() % (700 * 24 * 60)) * 60_000;
      const hours = (next() % 40) + 1;
      assert.equal(show(addWorkingHours(start, hours)), show(bruteForce(start, hours)), `${show(start)} + ${hours} h`);
      assert.equal(isWorkingTime(start), isWorkingMinute(start), show(start));
    }
  });
});
