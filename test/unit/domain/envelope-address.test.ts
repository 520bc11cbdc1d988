/** The address the print provider's manifest gives: as the envelope window prints it. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { envelopeAddress } from '../../../src/domain/envelope-address.js';

describe('envelopeAddress', () => {
  it('leaves the country out for every way of naming Norway (Svalbard too), as the cover prints no country line', () => {
    for (const land of [
      'NORGE',
      'norge',
      'Noreg',
      'Norway',
      'Norge ',
      'NO',
      'SJ',
      'Svalbard',
      'Norge\u0085',
      '',
      undefined,
    ]) {
      const adresse = envelopeAddress({
        navn: 'Ola Nordmann',
        adresse1: 'Storgata 1',
        postnr: '9170',
        poststed: 'Longyearbyen',
        land,
      });
      assert.deepEqual(
        adresse,
        { navn: 'Ola Nordmann', adresse1: 'Storgata 1', postnr: '9170', poststed: 'Longyearbyen' },
        String(land),
      );
    }
  });

  it('keeps a country abroad, and prints each field on one line as the window does', () => {
    assert.deepEqual(
      envelopeAddress({
        navn: ' Kari\tNordmann ',
        adresse1: 'Storgata\t1',
        adresse2: '  ',
        postnr: '111 22',
        poststed: 'Stockholm',
        land: 'SE',
      }),
      { navn: 'Kari Nordmann', adresse1: 'Storgata 1', postnr: '111 22', poststed: 'Stockholm', land: 'SE' },
    );
  });
});
