import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_PRINTABLE_TOTAL_BYTES, validateDokumentBytes } from '../../../src/domain/validation/index.js';

describe('validateDokumentBytes', () => {
  it('rejects an empty document with the message clients match on (docs/interfaces.md §14)', () => {
    const problems = validateDokumentBytes(
      [
        { filnavn: 'a.pdf', size: 10 },
        { filnavn: 'tom.pdf', size: 0 },
      ],
      { printable: false },
    );
    assert.deepEqual(problems, [
      { field: 'dokumenter[1].data', message: 'Kan ikke lagre tomt dokument: dokumenter[1].data «tom.pdf» er tomt' },
    ]);
    assert.ok(problems[0]?.message.startsWith('Kan ikke lagre tomt dokument'));
  });

  it('accepts documents with content', () => {
    assert.deepEqual(validateDokumentBytes([{ filnavn: 'a.pdf', size: 1 }], { printable: true }), []);
  });

  it('limits a printable forsendelse to 350 MB in all', () => {
    const half = MAX_PRINTABLE_TOTAL_BYTES / 2;
    assert.deepEqual(
      validateDokumentBytes(
        [
          { filnavn: 'a.pdf', size: half },
          { filnavn: 'b.pdf', size: half },
        ],
        { printable: true },
      ),
      [],
    );
    const over = [
      { filnavn: 'a.pdf', size: half },
      { filnavn: 'b.pdf', size: half + 1 },
    ];
    const problems = validateDokumentBytes(over, { printable: true });
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.field, 'dokumenter');
    assert.match(problems[0]?.message ?? '', /^For stor forsendelse: dokumenter er til sammen 350,1 MB; høyst 350 MB/);
  });

  it('sets no limit on a digital-only forsendelse', () => {
    assert.deepEqual(
      validateDokumentBytes([{ filnavn: 'film.mp4', size: 2 * MAX_PRINTABLE_TOTAL_BYTES }], { printable: false }),
      [],
    );
  });
});
