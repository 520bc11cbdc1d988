import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadRequestError } from '../../../src/domain/errors.js';
import { formatIsoWithOffset, parseXsdDateTime, tryParseXsdDateTime } from '../../../src/domain/time/index.js';

describe('parseXsdDateTime (docs/interfaces.md §5 scalar forms)', () => {
  it('reads UTC and explicit offsets', () => {
    assert.equal(parseXsdDateTime('2018-01-01T00:00:00.000Z'), Date.UTC(2018, 0, 1));
    assert.equal(parseXsdDateTime('2017-10-18T23:21:18.398+02:00'), Date.UTC(2017, 9, 18, 21, 21, 18, 398));
    assert.equal(parseXsdDateTime('2017-10-18T23:21:18-05:30'), Date.UTC(2017, 9, 19, 4, 51, 18));
    assert.equal(parseXsdDateTime('2017-10-18T23:21:18+0200'), Date.UTC(2017, 9, 18, 21, 21, 18));
  });

  it('reads a value without offset as Oslo local time', () => {
    assert.equal(parseXsdDateTime('2027-01-04T08:00:00'), Date.UTC(2027, 0, 4, 7));
    assert.equal(parseXsdDateTime('2027-07-05T08:00:00.250'), Date.UTC(2027, 6, 5, 6, 0, 0, 250));
    assert.equal(parseXsdDateTime('2027-07-05T08:00'), Date.UTC(2027, 6, 5, 6));
    assert.equal(parseXsdDateTime('2027-07-05'), Date.UTC(2027, 6, 4, 22));
  });

  it('truncates fractions finer than milliseconds and trims blanks', () => {
    assert.equal(parseXsdDateTime(' 2018-01-01T00:00:00.1239999Z\n'), Date.UTC(2018, 0, 1, 0, 0, 0, 123));
    assert.equal(parseXsdDateTime('2018-01-01T00:00:00.5Z'), Date.UTC(2018, 0, 1, 0, 0, 0, 500));
  });

  it('reads 24:00:00 as the next midnight', () => {
    assert.equal(parseXsdDateTime('2026-12-31T24:00:00Z'), Date.UTC(2027, 0, 1));
  });

  it('round-trips formatIsoWithOffset', () => {
    for (const t of [
      Date.UTC(2026, 9, 25, 0, 30, 0, 1),
      Date.UTC(2026, 9, 25, 1, 30, 0, 2),
      Date.UTC(2027, 2, 28, 1),
    ]) {
      assert.equal(parseXsdDateTime(formatIsoWithOffset(t)), t);
    }
  });

  it('refuses days, times and offsets that do not exist, naming the field', () => {
    for (const bad of [
      '2027-02-29T00:00:00Z',
      '2027-13-01T00:00:00Z',
      '2027-01-01T25:00:00Z',
      '2027-01-01T24:00:01Z',
      '2027-01-01T12:60:00Z',
      '2027-01-01T12:00:00+15:00',
      '2027-01-01 12:00:00',
      '18.10.2017 13:43:31',
      '',
    ]) {
      assert.equal(tryParseXsdDateTime(bad), undefined, bad);
    }
    assert.throws(
      () => parseXsdDateTime('i morgen', 'signeringUtloper'),
      (e: unknown) => e instanceof BadRequestError && /signeringUtloper/.test(e.message) && /i morgen/.test(e.message),
    );
  });

  it('refuses a year xsd allows but a Date cannot hold: undefined, never NaN or a RangeError', () => {
    for (const far of [
      '275760-09-14T00:00:00Z',
      '300000-01-01',
      '300000-01-01T00:00:00Z',
      '-300000-01-01',
      '12345678-01-01',
    ]) {
      assert.equal(tryParseXsdDateTime(far), undefined, far);
    }
    assert.throws(
      () => parseXsdDateTime('300000-01-01', 'datoLest'),
      (e: unknown) => e instanceof BadRequestError && /datoLest/.test(e.message),
    );
    assert.equal(
      tryParseXsdDateTime('275760-09-13T00:00:00Z'),
      undefined,
      'the last day a Date holds: no offset for it',
    );
    const last = tryParseXsdDateTime('275760-09-12T00:00:00Z');
    assert.equal(last, 8.64e15 - 86_400_000);
    assert.doesNotMatch(formatIsoWithOffset(last ?? 0), /NaN/, 'written with its Oslo offset');
  });
});
