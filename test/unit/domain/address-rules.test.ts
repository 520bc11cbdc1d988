/**
 * Which `land` values mean Norway, where a 4-digit postnummer is required and the envelope has
 * no country line.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { namesNorway, postAdresseProblems } from '../../../src/domain/validation/address-rules.js';

describe('namesNorway', () => {
  it('reads Norway however it is written: case, spaces, full-width letters, invisible format characters', () => {
    for (const land of [
      undefined,
      '',
      ' ',
      'Norge',
      'NORGE',
      ' noreg ',
      'NO',
      'Svalbard',
      'Norge\u200b',
      '\u200eNO',
      'ＮＯＲＧＥ',
    ])
      assert.equal(namesNorway(land), true, JSON.stringify(land));
    for (const land of ['Sverige', 'SE', 'Norge og Sverige', 'Nor ge']) assert.equal(namesNorway(land), false, land);
  });

  it('so "Norge" with a zero-width space after it still needs a postnummer when the letter may be printed (found in review)', () => {
    const problems = postAdresseProblems(
      { navn: 'Per Hansen', adresse1: 'Storgata 1', postnr: '', poststed: 'Oslo', land: 'Norge\u200b' },
      'mottaker.postAdresse',
      true,
    );
    assert.deepEqual(
      problems.map((p) => p.field),
      ['mottaker.postAdresse.postnr'],
    );
  });
});
