/** The sender's links as cover-page text (src/domain/lenker-text.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { coverTextWithLenker } from '../../../src/domain/lenker-text.js';

describe('coverTextWithLenker', () => {
  it('adds the links after the cover text, one a line, lead text first', () => {
    assert.equal(
      coverTextWithLenker('Spørsmål? Ring oss.\n', [
        { urlLenke: 'https://kommune.example/a', urlTekst: 'Saken', ledetekst: 'Se' },
        { urlLenke: 'ftp://arkiv.example/b', urlTekst: ' Vedlegg ', ledetekst: ' ' },
      ]),
      'Spørsmål? Ring oss.\n\nLenker fra avsender:\nSe Saken: https://kommune.example/a\nVedlegg: ftp://arkiv.example/b',
    );
  });

  it('leaves the cover text as it is when there are none', () => {
    assert.equal(coverTextWithLenker('Tekst\n', []), 'Tekst\n');
  });
});
