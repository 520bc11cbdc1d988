/**
 * The Noark numbers of a letter's case metadata are refused outside int32, naming the field:
 * SvarInn lists them to archives whose clients (KS's svarut-sak-mottak, eFormidling's
 * integration point) read them as Java ints, and a number stored changed
 * (1.2345678901234569e+23) or out of int's range broke a receiving system's whole list. KS's
 * schemas type the sequence numbers int64; until 6 December 2026 they were taken up to
 * 9 007 199 254 740 991, which those clients cannot read.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../../src/domain/errors.js';
import { forsendelseFromV2Json } from '../../../src/http/fiks/fiks-forsendelse-json.js';
import { forsendelseFromV1Json } from '../../../src/http/rest/v1-forsendelse-json.js';

function v1(metadata: Record<string, unknown>): unknown {
  return {
    tittel: 'Vedtak',
    mottaker: {
      postAdresse: { navn: 'Kari Nordmann', adresse1: 'Storgata 1', postNummer: '0155', postSted: 'Oslo' },
      digitalAdresse: { fodselsNummer: '01019000083' },
    },
    dokumenter: [{ filnavn: 'a.pdf', mimeType: 'application/pdf' }],
    metadataFraAvleverendeSystem: metadata,
  };
}

function refusals(fn: () => unknown): { field: string; message: string }[] {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ValidationError, String(error));
    return error.problems.map((p) => ({ field: p.field, message: p.message }));
  }
  assert.fail('taken');
}

describe('Noark numbers within their integer types', () => {
  it('REST v1: a year and sequence numbers past int32 are named, also as a string of digits', () => {
    const found = refusals(() =>
      forsendelseFromV1Json(v1({ saksAar: 99999999999, saksSekvensNummer: '2147483648', journalPostNummer: 1e21 })),
    );
    assert.deepEqual(found, [
      {
        field: 'metadataFraAvleverendeSystem.saksSekvensNummer',
        message:
          'Ugyldig verdi i metadataFraAvleverendeSystem.saksSekvensNummer: forventet et heltall fra -2147483648 til 2147483647',
      },
      {
        field: 'metadataFraAvleverendeSystem.saksAar',
        message:
          'Ugyldig verdi i metadataFraAvleverendeSystem.saksAar: forventet et heltall fra -2147483648 til 2147483647',
      },
      {
        field: 'metadataFraAvleverendeSystem.journalPostNummer',
        message:
          'Ugyldig verdi i metadataFraAvleverendeSystem.journalPostNummer: forventet et heltall fra -2147483648 til 2147483647',
      },
    ]);
  });

  it('REST v1: the largest of each is taken exactly, from a number or a string of digits', () => {
    const input = forsendelseFromV1Json(
      v1({ saksAar: 2147483647, saksSekvensNummer: '2147483647', journalSekvensNummer: -2147483648 }),
    );
    assert.equal(input.metadataFraAvleverendeSystem?.saksaar, 2147483647);
    assert.equal(input.metadataFraAvleverendeSystem?.sakssekvensnummer, 2147483647);
    assert.equal(input.metadataFraAvleverendeSystem?.journalsekvensnummer, -2147483648);
  });

  it('REST v2: the same rule on its lower-case names, and a giro page past int32', () => {
    const found = refusals(() =>
      forsendelseFromV2Json({
        tittel: 'T',
        mottaker: {
          navn: 'Kari',
          digitalId: '01019000083',
          adresselinje1: 'Gata 1',
          postnummer: '0155',
          poststed: 'Oslo',
        },
        metadataFraAvleverendeSystem: { journalaar: -3000000000, sakssekvensnummer: 2 ** 60 },
        dokumenter: [{ filnavn: 'a.pdf', mimeType: 'application/pdf', giroarkSider: [2 ** 31] }],
      }),
    );
    assert.deepEqual(found.map((f) => f.field).sort(), [
      'dokumenter[0].giroarkSider[0]',
      'metadataFraAvleverendeSystem.journalaar',
      'metadataFraAvleverendeSystem.sakssekvensnummer',
    ]);
  });
});
