/**
 * The log mask blanks fødselsnummer-shaped digit runs and keeps every line JSON: a bare
 * 11-digit number (a byte count of 10–99 GB in `free`) was turned into asterisks outside
 * quotes, which no log shipper could parse (review of 7 December 2026).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maskFodselsnummer } from '../../../src/composition/logging.js';

describe('maskFodselsnummer', () => {
  it('masks an 11-digit number as a string, and digits in strings in place; the line stays JSON', () => {
    const line = JSON.stringify({
      free: 12345678901,
      needed: 1099511627776,
      list: [12345678901, 5],
      msg: 'Ugyldig fødselsnummer 01019000083 eller 010190 00083, a:12345678901,b "01019000083"',
      at: 1796602348801,
    });
    const masked = maskFodselsnummer(line);
    const parsed = JSON.parse(masked) as Record<string, unknown>;
    assert.equal(parsed.free, '***********');
    assert.equal(parsed.needed, 1099511627776, 'other lengths pass');
    assert.deepEqual(parsed.list, ['***********', 5]);
    assert.equal(parsed.msg, 'Ugyldig fødselsnummer *********** eller ************, a:***********,b "***********"');
    assert.equal(parsed.at, 1796602348801);
    assert.doesNotMatch(masked, /01019000083|12345678901/);
  });

  it('leaves an id alone whose group holds 11 digits beside a letter', () => {
    const line = JSON.stringify({ forsendelseId: '6f1c2a9e-4b7d-4c1a-9e2f-a12345678901', id: 'b12345678901' });
    assert.equal(maskFodselsnummer(line), line);
    assert.equal(maskFodselsnummer('{"fnr":"12345678901"}'), '{"fnr":"***********"}');
    assert.equal(maskFodselsnummer('{"msg":"fnr=01019000083."}'), '{"msg":"fnr=***********."}');
  });

  it('masks a line that is not JSON as text', () => {
    assert.equal(maskFodselsnummer('kari 01019000083'), 'kari ***********');
    assert.equal(maskFodselsnummer('fnr_01019000083_x'), 'fnr_***********_x');
  });
});
