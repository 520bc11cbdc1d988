/**
 * REST v1's digitalAdresse is a fødselsnummer or an organisation number (forsendelse.json:
 * oneOf), the other absent or null as Java clients send it; both at once is refused naming the
 * address, where the organisation number used to be dropped unchecked.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../../src/domain/errors.js';
import { forsendelseFromV1Json } from '../../../src/http/rest/v1-forsendelse-json.js';

function letterTo(digitalAdresse: Record<string, unknown>): unknown {
  return {
    tittel: 'Vedtak',
    mottaker: {
      postAdresse: { navn: 'Kari Nordmann', adresse1: 'Storgata 1', postNummer: '0155', postSted: 'Oslo' },
      digitalAdresse,
    },
    dokumenter: [{ filnavn: 'a.pdf', mimeType: 'application/pdf' }],
  };
}

describe('REST v1 digitalAdresse', () => {
  it('takes a fødselsnummer or an organisation number, the other null', () => {
    const person = forsendelseFromV1Json(letterTo({ fodselsNummer: '01019000083', organisasjonsNummer: null }));
    assert.deepEqual(person.mottaker?.digitalAdresse, { type: 'person', fnr: '01019000083' });
    const org = forsendelseFromV1Json(letterTo({ fodselsNummer: null, organisasjonsNummer: '974760673' }));
    assert.deepEqual(org.mottaker?.digitalAdresse, { type: 'organisasjon', orgnr: '974760673' });
  });

  it('refuses both at once, naming the address', () => {
    for (const orgnr of ['974760673', 'ikke-et-orgnr']) {
      try {
        forsendelseFromV1Json(letterTo({ fodselsNummer: '01019000083', organisasjonsNummer: orgnr }));
        assert.fail('taken');
      } catch (error) {
        assert.ok(error instanceof ValidationError, String(error));
        assert.deepEqual(
          error.problems.filter((p) => p.field === 'mottaker.digitalAdresse'),
          [
            {
              field: 'mottaker.digitalAdresse',
              message:
                'Ugyldig digital adresse: mottaker.digitalAdresse kan ha fodselsNummer eller organisasjonsNummer, ikke begge',
            },
          ],
        );
      }
    }
  });
});
