/**
 * The print deadline: two business days after the notification, at the same Oslo wall-clock
 * time (src/domain/calendar/print-deadline.ts), over weekends, Norwegian public holidays and
 * DST changes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PRINT_DEADLINE_BUSINESS_DAYS, addBusinessDays, printDeadline } from '../../../src/domain/calendar/index.js';
import { formatIsoWithOffset, osloDateTime, osloLocalToEpoch } from '../../../src/domain/time/index.js';

const H = 3_600_000;
/** Epoch ms of an Oslo wall-clock time given as `yyyy-MM-dd HH:mm`. */
function oslo(s: string): number {
  const [y, mo, d, h, mi] = s.split(/[- :]/).map(Number) as [number, number, number, number, number];
  return osloLocalToEpoch({ year: y, month: mo, day: d, hour: h, minute: mi, second: 0, millisecond: 0 });
}
const show = (ms: number) => formatIsoWithOffset(ms);

describe('printDeadline (two business days, Europe/Oslo)', () => {
  it('is two business days', () => {
    assert.equal(PRINT_DEADLINE_BUSINESS_DAYS, 2);
    // Monday 09:00 → Wednesday 09:00 (the review's example went to Monday a week later).
    assert.equal(show(printDeadline(oslo('2027-01-04 09:00'))), show(oslo('2027-01-06 09:00')));
    // Notified at night: counted from 08:00 the next business day, so it falls in working time.
    assert.equal(show(printDeadline(oslo('2027-01-13 23:30'))), show(oslo('2027-01-18 08:00')));
    assert.equal(show(printDeadline(oslo('2027-01-13 02:00'))), show(oslo('2027-01-15 08:00')));
    assert.equal(show(printDeadline(oslo('2027-01-13 16:00'))), show(oslo('2027-01-18 08:00')));
  });

  it('carries a letter notified on a Friday over the weekend, and one notified on a Saturday from Monday morning', () => {
    assert.equal(show(printDeadline(oslo('2027-01-15 15:00'))), show(oslo('2027-01-19 15:00')));
    assert.equal(show(printDeadline(oslo('2027-01-16 12:00'))), show(oslo('2027-01-20 08:00')));
    assert.equal(show(printDeadline(oslo('2027-01-17 23:59'))), show(oslo('2027-01-20 08:00')));
  });

  it('always falls in working time, Mon–Fri 08:00–16:00 Oslo', () => {
    for (let h = 0; h < 24 * 14; h += 1) {
      const d = osloDateTime(printDeadline(oslo('2027-01-11 00:00') + h * H));
      assert.ok(d.hour >= 8 && d.hour < 16, `${h}: ${d.hour}`);
    }
  });

  it('skips Skjærtorsdag, Langfredag and 2. påskedag 2027', () => {
    // Easter Sunday is 28 March 2027: Thu 25, Fri 26 and Mon 29 are holidays; Tue 30, Wed 31 count.
    assert.equal(show(printDeadline(oslo('2027-03-24 12:00'))), '2027-03-31T12:00:00.000+02:00');
  });

  it('skips Kristi himmelfartsdag and 2. pinsedag (= 17 May) 2027', () => {
    // Ascension Thursday 6 May 2027.
    assert.equal(show(printDeadline(oslo('2027-05-05 09:00'))), show(oslo('2027-05-10 09:00')));
    // Fri 14 May → Mon 17 May (2. pinsedag and Grunnlovsdag) skipped → Tue 18, Wed 19.
    assert.equal(show(printDeadline(oslo('2027-05-14 12:00'))), show(oslo('2027-05-19 12:00')));
  });

  it('skips Christmas and New Year 2026–2027 but counts Christmas Eve and New Year’s Eve', () => {
    assert.equal(show(printDeadline(oslo('2026-12-23 10:00'))), show(oslo('2026-12-28 10:00')));
    assert.equal(show(printDeadline(oslo('2026-12-30 09:00'))), show(oslo('2027-01-04 09:00')));
  });

  it('keeps the wall-clock time across the spring and autumn DST changes', () => {
    const fri = oslo('2026-03-27 15:00');
    assert.equal(fri, Date.UTC(2026, 2, 27, 14));
    const tue = printDeadline(fri);
    assert.equal(show(tue), '2026-03-31T15:00:00.000+02:00');
    assert.equal(tue - fri, (4 * 24 - 1) * H, 'the weekend lost an hour');
    const autumn = oslo('2026-10-23 15:30');
    assert.equal(show(printDeadline(autumn)), '2026-10-27T15:30:00.000+01:00');
    assert.equal(printDeadline(autumn) - autumn, (4 * 24 + 1) * H);
  });

  it('adds whole business days, and refuses what is not a count of them', () => {
    const saturday = oslo('2027-01-16 12:00');
    assert.equal(show(addBusinessDays(saturday, 0)), show(oslo('2027-01-18 00:00')));
    assert.equal(show(addBusinessDays(oslo('2027-01-18 10:00'), 0)), show(oslo('2027-01-18 10:00')));
    assert.equal(show(addBusinessDays(oslo('2027-01-18 10:00'), 5)), show(oslo('2027-01-25 10:00')));
    assert.throws(() => addBusinessDays(saturday, -1), RangeError);
    assert.throws(() => addBusinessDays(saturday, 1.5), RangeError);
    assert.throws(() => addBusinessDays(Number.NaN, 1), RangeError);
  });
});
