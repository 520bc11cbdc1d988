import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isValidFodselsnummer, isValidOrgnr } from '../../../src/domain/validation/index.js';
import { findFnr, fnrFrom, orgnrFrom, singleDigitVariants } from './numbers.js';

describe('isValidFodselsnummer', () => {
  const ordinary = findFnr('170785', 123); // 17 July 1985

  it('accepts a fødselsnummer with correct control digits', () => {
    assert.match(ordinary, /^170785\d{5}$/);
    assert.equal(isValidFodselsnummer(ordinary), true);
    assert.equal(isValidFodselsnummer(findFnr('311299', 0)), true);
    assert.equal(isValidFodselsnummer(findFnr('010120', 500)), true); // 2020
  });

  it('rejects every single-digit change of a valid number', () => {
    for (const variant of singleDigitVariants(ordinary)) assert.equal(isValidFodselsnummer(variant), false, variant);
  });

  it('rejects numbers whose first control digit would be 10', () => {
    let tried = 0;
    for (let individ = 0; individ <= 999 && tried < 3; individ++) {
      const base = `170785${String(individ).padStart(3, '0')}`;
      if (fnrFrom('170785', individ) !== undefined) continue;
      tried++;
      for (let tail = 0; tail < 100; tail++) {
        assert.equal(isValidFodselsnummer(base + String(tail).padStart(2, '0')), false);
      }
    }
    assert.equal(tried, 3);
  });

  it('accepts d-nummer (day + 40), H-nummer (month + 40) and Tenor synthetic numbers (month + 80)', () => {
    assert.equal(isValidFodselsnummer(findFnr('570785', 123)), true); // d-nummer
    assert.equal(isValidFodselsnummer(findFnr('174785', 123)), true); // H-nummer
    assert.equal(isValidFodselsnummer(findFnr('178785', 123)), true); // synthetic
    assert.equal(isValidFodselsnummer(findFnr('578785', 123)), true); // synthetic d-nummer
    assert.equal(isValidFodselsnummer(findFnr('715285', 123)), true); // 31 Dec d-nummer + H
  });

  it('rejects dates that do not exist after the offsets', () => {
    for (const date of [
      '300285',
      '171385',
      '175385',
      '179385',
      '177385',
      '720185',
      '000185',
      '170085',
      '310485',
      '714485',
    ]) {
      assert.equal(isValidFodselsnummer(findFnr(date, 123)), false, date);
    }
  });

  it('knows 29 February from the century the individual number gives', () => {
    assert.equal(isValidFodselsnummer(findFnr('290200', 500)), true); // 2000: leap year
    assert.equal(isValidFodselsnummer(findFnr('290200', 100)), false); // 1900: not a leap year
    assert.equal(isValidFodselsnummer(findFnr('290201', 500)), false);
    assert.equal(isValidFodselsnummer(findFnr('298200', 500)), true); // synthetic, 2000
  });

  it('rejects anything but 11 digits', () => {
    for (const bad of [
      ordinary.slice(0, 10),
      `${ordinary}0`,
      ` ${ordinary.slice(1)}`,
      `${ordinary.slice(0, 5)}a${ordinary.slice(6)}`,
      '',
    ]) {
      assert.equal(isValidFodselsnummer(bad), false, bad);
    }
  });
});

describe('isValidOrgnr', () => {
  it('accepts real organisation numbers from Enhetsregisteret', () => {
    for (const orgnr of ['974760673', '991825827', '971526920']) assert.equal(isValidOrgnr(orgnr), true, orgnr);
  });

  it('accepts generated numbers and rejects every single-digit change of them', () => {
    for (const base of ['92345678', '81234567', '99999999']) {
      const orgnr = orgnrFrom(base);
      if (orgnr === undefined) continue;
      assert.equal(isValidOrgnr(orgnr), true, orgnr);
      for (const variant of singleDigitVariants(orgnr)) assert.equal(isValidOrgnr(variant), false, variant);
    }
  });

  it('rejects a base whose control digit would be 10, and anything but 9 digits', () => {
    let n = 10_000_000;
    while (orgnrFrom(String(n)) !== undefined) n++;
    const base = String(n);
    for (let k = 0; k <= 9; k++) assert.equal(isValidOrgnr(`${base}${k}`), false);
    for (const bad of ['97476067', '9747606730', '97476067a', ' 974760673', ''])
      assert.equal(isValidOrgnr(bad), false, bad);
  });
});
