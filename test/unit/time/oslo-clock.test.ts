import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  addDays,
  isoWeekday,
  osloDate,
  osloDateTime,
  osloLocalToEpoch,
  osloOffsetMinutes,
  parseCalendarDate,
} from '../../../src/domain/time/index.js';

const at = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0) => ({
  year: y,
  month: mo,
  day: d,
  hour: h,
  minute: mi,
  second: s,
  millisecond: ms,
});

describe('Oslo wall clock', () => {
  it('reads winter time as UTC+1 and summer time as UTC+2', () => {
    assert.equal(osloOffsetMinutes(Date.UTC(2027, 0, 15, 12)), 60);
    assert.equal(osloOffsetMinutes(Date.UTC(2027, 6, 15, 12)), 120);
    assert.deepEqual(osloDateTime(Date.UTC(2027, 0, 15, 23, 30, 5, 7)), at(2027, 1, 16, 0, 30, 5, 7));
    assert.deepEqual(osloDate(Date.UTC(2027, 6, 15, 22, 0)), { year: 2027, month: 7, day: 16 });
  });

  it('switches at 01:00 UTC on the last Sunday of March and October', () => {
    // 28 March 2027: 02:00 local becomes 03:00.
    assert.deepEqual(osloDateTime(Date.UTC(2027, 2, 28, 0, 59, 59)), at(2027, 3, 28, 1, 59, 59));
    assert.deepEqual(osloDateTime(Date.UTC(2027, 2, 28, 1, 0, 0)), at(2027, 3, 28, 3, 0, 0));
    // 25 October 2026: 03:00 local becomes 02:00.
    assert.deepEqual(osloDateTime(Date.UTC(2026, 9, 25, 0, 59, 59)), at(2026, 10, 25, 2, 59, 59));
    assert.deepEqual(osloDateTime(Date.UTC(2026, 9, 25, 1, 0, 0)), at(2026, 10, 25, 2, 0, 0));
  });

  it('turns ordinary wall-clock times back into the instant', () => {
    assert.equal(osloLocalToEpoch(at(2027, 1, 4, 8)), Date.UTC(2027, 0, 4, 7));
    assert.equal(osloLocalToEpoch(at(2027, 3, 29, 8)), Date.UTC(2027, 2, 29, 6));
    for (const t of [Date.UTC(2026, 9, 24, 22, 1, 2, 3), Date.UTC(2027, 2, 28, 5), Date.UTC(1999, 11, 31, 23)]) {
      assert.equal(osloLocalToEpoch(osloDateTime(t)), t);
    }
  });

  it('moves a time skipped in spring forward by the gap', () => {
    assert.equal(osloLocalToEpoch(at(2027, 3, 28, 2, 30)), Date.UTC(2027, 2, 28, 1, 30));
    assert.deepEqual(osloDateTime(osloLocalToEpoch(at(2027, 3, 28, 2, 30))), at(2027, 3, 28, 3, 30));
  });

  it('takes summer time for a time that occurs twice in autumn, unless told otherwise', () => {
    assert.equal(osloLocalToEpoch(at(2026, 10, 25, 2, 30)), Date.UTC(2026, 9, 25, 0, 30));
    assert.equal(osloLocalToEpoch(at(2026, 10, 25, 2, 30), 60), Date.UTC(2026, 9, 25, 1, 30));
    assert.equal(osloLocalToEpoch(at(2026, 10, 25, 2, 30), 120), Date.UTC(2026, 9, 25, 0, 30));
  });

  it('reads every instant as Intl does, across each clock change from 1900 to 2200', () => {
    // The reference: Intl.DateTimeFormat read on its own, as the module did for every instant
    // before it cached each UTC hour's offset from 1980.
    const intl = new Intl.DateTimeFormat('en-US', {
      timeZone: 'Europe/Oslo',
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    const reference = (ms: number) => {
      const f = Object.fromEntries(intl.formatToParts(ms).map((p) => [p.type, Number(p.value)]));
      return at(
        f.year as number,
        f.month as number,
        f.day as number,
        f.hour,
        f.minute,
        f.second,
        ((ms % 1000) + 1000) % 1000,
      );
    };
    // Around each change: the offset differs from one day to the next.
    const instants: number[] = [];
    for (let day = Date.UTC(1900, 0, 1); day < Date.UTC(2200, 0, 1); day += 86_400_000) {
      if (osloOffsetMinutes(day) === osloOffsetMinutes(day + 86_400_000)) continue;
      for (let h = 0; h <= 24; h++)
        instants.push(day + h * 3_600_000 - 1, day + h * 3_600_000, day + h * 3_600_000 + 1);
    }
    assert.ok(instants.length > 440 * 75, `changes found: ${instants.length / 75}`);
    // And anywhere else, from 1800 to 2200, at random but repeatably.
    let seed = 42;
    for (let i = 0; i < 20_000; i++) {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      instants.push(
        Date.UTC(1800, 0, 1) + Math.floor((seed / 2 ** 31) * (Date.UTC(2200, 0, 1) - Date.UTC(1800, 0, 1))),
      );
    }
    for (const ms of instants) assert.deepEqual(osloDateTime(ms), reference(ms), new Date(ms).toISOString());
  });

  it('rejects an instant that is not a number', () => {
    assert.throws(() => osloDateTime(Number.NaN), RangeError);
  });
});

describe('calendar dates', () => {
  it('adds days across month and year ends and knows weekdays', () => {
    assert.deepEqual(addDays({ year: 2026, month: 12, day: 31 }, 1), { year: 2027, month: 1, day: 1 });
    assert.deepEqual(addDays({ year: 2028, month: 3, day: 1 }, -1), { year: 2028, month: 2, day: 29 });
    assert.equal(isoWeekday({ year: 2027, month: 3, day: 28 }), 7);
    assert.equal(isoWeekday({ year: 2027, month: 3, day: 29 }), 1);
  });

  it('parses yyyy-MM-dd and refuses days that do not exist', () => {
    assert.deepEqual(parseCalendarDate('2028-02-29'), { year: 2028, month: 2, day: 29 });
    assert.throws(() => parseCalendarDate('2027-02-29'), RangeError);
    assert.throws(() => parseCalendarDate('2027-2-1'), RangeError);
  });
});
