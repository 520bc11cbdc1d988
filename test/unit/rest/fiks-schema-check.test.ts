/**
 * REST v2/v3 sends are checked against KS's OpenAPI schema of the forsendelse part
 * (src/http/fiks/fiks-schema-check.ts), each problem named by its JSON path in Norwegian.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../../src/domain/errors.js';
import { forsendelseFromV3Json } from '../../../src/http/fiks/fiks-forsendelse-json.js';
import { fiksSchemaProblems } from '../../../src/http/fiks/fiks-schema-check.js';

const FNR = '01019000083';
const ORGNR = '910076787';
const ADRESSE = { adresselinje1: 'Storgata 1', postnummer: '0155', poststed: 'Oslo' };
const person = { tittel: 'T', mottaker: { navn: 'Kari', digitalId: FNR, adresse: ADRESSE } };
const organisasjon = { tittel: 'T', mottaker: { navn: 'AS', digitalId: ORGNR, adresse: ADRESSE } };

function refused(fn: () => unknown): Record<string, string> {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ValidationError);
    return Object.fromEntries(error.problems.map((p) => [p.field, p.message]));
  }
  assert.fail('expected a ValidationError');
}

describe('REST v3 forsendelse part against its OpenAPI schema', () => {
  it('takes what the spec allows, nulls as absent and convertible values as the readers do', () => {
    assert.deepEqual(fiksSchemaProblems('person', person), []);
    assert.deepEqual(fiksSchemaProblems('person', { ...person, eksternReferanse: null, kryptert: 'true' }), []);
    assert.deepEqual(fiksSchemaProblems('print', { tittel: 'T', mottaker: { navn: 'Kari', adresse: ADRESSE } }), []);
  });

  it('refuses what the schema refuses, naming each field', () => {
    const cases: [Parameters<typeof forsendelseFromV3Json>[0], unknown, string, RegExp][] = [
      ['person', { tittel: 'T', mottaker: { navn: 'Kari' } }, 'mottaker.digitalId', /^Mangler mottaker\.digitalId/],
      ['person', { tittel: 'T', mottaker: { navn: 'Kari', digitalId: null } }, 'mottaker.digitalId', /^Mangler/],
      ['person', { ...person, svarPaForsendelseId: 'hei' }, 'svarPaForsendelseId', /må være en UUID \(fikk «hei»\)/],
      [
        'person',
        { ...person, mottaker: { ...person.mottaker, adresse: { ...ADRESSE, landkode: 'NOR' } } },
        'mottaker.adresse.landkode',
        /høyst 2 tegn|\^\[A-Z\]\{2\}\$/,
      ],
      [
        'person',
        { ...person, lenker: Array.from({ length: 6 }, () => ({ url: 'https://x.no', tekst: 'x' })) },
        'lenker',
        /^For mange elementer: lenker kan ha høyst 5/,
      ],
      [
        'person',
        { ...person, mottaker: { ...person.mottaker, navn: 'n'.repeat(101) } },
        'mottaker.navn',
        /høyst 100 tegn \(har 101\)/,
      ],
      [
        'person',
        { ...person, svarSendesTil: { navn: 'S', type: 'FOO', digitalId: ORGNR, adresse: ADRESSE } },
        'svarSendesTil.type',
        /må være en av PERSON, ORGANISASJON, NHN_MOTTAKER \(fikk «FOO»\)/,
      ],
      [
        'organisasjon',
        { ...organisasjon, metadataForImport: { saksaar: 99 } },
        'metadataForImport.saksaar',
        /minst 1000/,
      ],
      [
        'organisasjon',
        {
          ...organisasjon,
          dokumenter: [
            {
              filnavn: 'a.pdf',
              mimeType: 'application/pdf',
              ekstraMetadata: Array.from({ length: 21 }, (_, i) => ({ key: `k${i}`, value: 'v' })),
            },
          ],
        },
        'dokumenter[0].ekstraMetadata',
        /høyst 20/,
      ],
      [
        'print',
        {
          tittel: 'T',
          mottaker: { navn: 'Kari', adresse: ADRESSE },
          dokumenter: [{ filnavn: 'a.txt', mimeType: 'text/plain' }],
        },
        'dokumenter[0].mimeType',
        /bare PDF \(application\/pdf\)/,
      ],
      ['print', { tittel: 'T', mottaker: { navn: 'Kari' } }, 'mottaker.adresse', /^Mangler mottaker\.adresse/],
    ];
    for (const [kind, json, field, message] of cases) {
      const problems = refused(() => forsendelseFromV3Json(kind, json));
      assert.match(problems[field] ?? `nothing on ${field}: ${JSON.stringify(problems)}`, message, `${kind} ${field}`);
    }
  });
});
