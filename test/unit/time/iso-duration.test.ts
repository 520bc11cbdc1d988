import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addIsoDuration, osloLocalToEpoch, parseIsoDuration } from '../../../src/domain/time/index.js';

const zero = { negative: false, years: 0, months: 0, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0 };
const oslo = (y: number, mo: number, d: number, h = 0, mi = 0) =>
  osloLocalToEpoch({ year: y, month: mo, day: d, hour: h, minute: mi, second: 0, millisecond: 0 });

describe('parseIsoDuration', () => {
  it('reads the forms Budbringer uses', () => {
    assert.deepEqual(parseIsoDuration('P3M'), { ...zero, months: 3 });
    assert.deepEqual(parseIsoDuration('PT2M'), { ...zero, minutes: 2 });
    assert.deepEqual(parseIsoDuration('P2DT3H'), { ...zero, days: 2, hours: 3 });
    assert.deepEqual(parseIsoDuration('PT0.5S'), { ...zero, seconds: 0.5 });
    assert.deepEqual(parseIsoDuration('PT0,25S'), { ...zero, seconds: 0.25 });
    assert.deepEqual(parseIsoDuration('P1Y2M3W4DT5H6M7S'), {
      negative: false,
      years: 1,
      months: 2,
      weeks: 3,
      days: 4,
      hours: 5,
      minutes: 6,
      seconds: 7,
    });
    assert.deepEqual(parseIsoDuration('-P1D'), { ...zero, negative: true, days: 1 });
  });

  it('refuses text that names no amount or is not ISO 8601', () => {
    for (const bad of ['', 'P', 'PT', 'P1DT', '3M', 'P1.5D', 'PT1H2', 'P-1D', 'P1S', 'pt2m']) {
      assert.throws(() => parseIsoDuration(bad), /Ugyldig varighet/, bad);
    }
    // Surrounding blanks (config files, XML text) are not part of the value.
    assert.deepEqual(parseIsoDuration(' PT2M '), { ...zero, minutes: 2 });
  });
});

describe('addIsoDuration', () => {
  it('adds months on the Oslo calendar, keeping the wall-clock time', () => {
    // 30 November 2026 10:00 (UTC+1) + 3 months = 28 February 2027 10:00 (UTC+1).
    assert.equal(addIsoDuration(oslo(2026, 11, 30, 10), parseIsoDuration('P3M')), oslo(2027, 2, 28, 10));
    // 15 January 10:00 (UTC+1) + 3 months = 15 April 10:00 (UTC+2): 1 hour less elapsed.
    const from = oslo(2027, 1, 15, 10);
    const to = addIsoDuration(from, parseIsoDuration('P3M'));
    assert.equal(to, oslo(2027, 4, 15, 10));
    assert.equal(to, Date.UTC(2027, 3, 15, 8));
  });

  it('clamps to the end of a shorter month', () => {
    assert.equal(addIsoDuration(oslo(2028, 1, 31, 12), parseIsoDuration('P1M')), oslo(2028, 2, 29, 12));
    assert.equal(addIsoDuration(oslo(2027, 3, 31, 12), parseIsoDuration('-P1M')), oslo(2027, 2, 28, 12));
  });

  it('makes P1D 23 hours but PT24H 24 hours across the spring change', () => {
    const saturdayNoon = oslo(2027, 3, 27, 12);
    assert.equal(addIsoDuration(saturdayNoon, parseIsoDuration('P1D')) - saturdayNoon, 23 * 3_600_000);
    assert.equal(addIsoDuration(saturdayNoon, parseIsoDuration('PT24H')), oslo(2027, 3, 28, 13));
  });

  it('adds elapsed minutes, hours and fractional seconds', () => {
    const t = Date.UTC(2027, 5, 1, 12);
    assert.equal(addIsoDuration(t, parseIsoDuration('PT2M')), t + 120_000);
    assert.equal(addIsoDuration(t, parseIsoDuration('PT0.5S')), t + 500);
    assert.equal(addIsoDuration(t, parseIsoDuration('P2DT3H')), t + (2 * 24 + 3) * 3_600_000);
    assert.equal(addIsoDuration(t, parseIsoDuration('-PT1H')), t - 3_600_000);
  });

  it('keeps the offset of a start in the repeated autumn hour', () => {
    const secondHalf = Date.UTC(2026, 9, 25, 1, 30); // 02:30+01:00
    assert.equal(addIsoDuration(secondHalf, parseIsoDuration('P0D')), secondHalf);
    assert.equal(addIsoDuration(secondHalf, parseIsoDuration('P1W')), oslo(2026, 11, 1, 2, 30));
  });
});
