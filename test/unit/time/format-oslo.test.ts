import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatIsoWithOffset, formatOsloTimestamp } from '../../../src/domain/time/index.js';

describe('formatOsloTimestamp (historikk, docs/interfaces.md §4)', () => {
  it('writes the example from the real service in summer time', () => {
    assert.equal(formatOsloTimestamp(Date.UTC(2017, 9, 18, 11, 43, 31, 999)), '18.10.2017 13:43:31');
  });

  it('writes winter time and pads every field', () => {
    assert.equal(formatOsloTimestamp(Date.UTC(2027, 0, 4, 7, 5, 9)), '04.01.2027 08:05:09');
    assert.equal(formatOsloTimestamp(Date.UTC(2026, 11, 31, 23, 0, 0)), '01.01.2027 00:00:00');
  });
});

describe('formatIsoWithOffset (SOAP dateTime, docs/interfaces.md §5)', () => {
  it('writes the example from the real service', () => {
    assert.equal(formatIsoWithOffset(Date.UTC(2017, 9, 18, 21, 21, 18, 398)), '2017-10-18T23:21:18.398+02:00');
  });

  it('writes +01:00 in winter and always three fraction digits', () => {
    assert.equal(formatIsoWithOffset(Date.UTC(2027, 0, 4, 7, 0, 0, 0)), '2027-01-04T08:00:00.000+01:00');
    assert.equal(formatIsoWithOffset(Date.UTC(2027, 0, 4, 7, 0, 0, 5)), '2027-01-04T08:00:00.005+01:00');
  });

  it('tells the two 02:30s of an autumn night apart by their offset', () => {
    assert.equal(formatIsoWithOffset(Date.UTC(2026, 9, 25, 0, 30)), '2026-10-25T02:30:00.000+02:00');
    assert.equal(formatIsoWithOffset(Date.UTC(2026, 9, 25, 1, 30)), '2026-10-25T02:30:00.000+01:00');
  });

  it('round-trips through Date.parse', () => {
    const t = Date.UTC(2027, 4, 17, 10, 11, 12, 13);
    assert.equal(Date.parse(formatIsoWithOffset(t)), t);
  });
});
