import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../../src/domain/errors.js';
import { validateForsendelse } from '../../../src/domain/validation/index.js';
import { inRestV1Terms, restV1FieldPath } from '../../../src/http/rest/v1-field-names.js';
import { NOW, POST_ADRESSE, dokument, validInput } from '../domain-validation/valid-input.js';

describe('REST v1 field names in validation problems', () => {
  it('renames the canonical (V9) segments, keeps indexes and names that agree', () => {
    assert.equal(restV1FieldPath('mottaker.postAdresse.postnr'), 'mottaker.postAdresse.postNummer');
    assert.equal(restV1FieldPath('mottaker.digitalAdresse.fnr'), 'mottaker.digitalAdresse.fodselsNummer');
    assert.equal(
      restV1FieldPath('svarSendesTil.digitalAdresse.orgnr'),
      'svarSendesTil.digitalAdresse.organisasjonsNummer',
    );
    assert.equal(restV1FieldPath('dokumenter[3].mimetype'), 'dokumenter[3].mimeType');
    assert.equal(
      restV1FieldPath('metadataFraAvleverendeSystem.ekstraMetadata[1].key'),
      'metadataFraAvleverendeSystem.ekstraMetadata[1].key',
    );
    assert.equal(restV1FieldPath('tittel'), 'tittel');
    assert.equal(restV1FieldPath('postNummer'), 'postNummer', 'a REST name stays as it is');
  });

  it('rewrites the field and its mention in the message, and nothing else', () => {
    const error = new ValidationError([
      {
        field: 'mottaker.postAdresse.postnr',
        message: 'Ugyldig postnummer: mottaker.postAdresse.postnr må være 4 siffer for norske adresser (fikk «155»)',
      },
      { field: 'tittel', message: 'Mangler tittel: tittel må fylles ut' },
    ]);
    const rest = inRestV1Terms(error);
    assert.deepEqual(rest.problems, [
      {
        field: 'mottaker.postAdresse.postNummer',
        message:
          'Ugyldig postnummer: mottaker.postAdresse.postNummer må være 4 siffer for norske adresser (fikk «155»)',
      },
      { field: 'tittel', message: 'Mangler tittel: tittel må fylles ut' },
    ]);
    assert.equal(rest.code, 'VALIDERINGSFEIL');
    assert.equal(rest.httpStatus, 400);
    assert.equal(rest.message, rest.problems.map((p) => p.message).join('; '));
  });

  it("names another field its message mentions in REST v1's words: ekskluderesFraUtskrift, which v1's JSON has (found in review)", () => {
    const problems = validateForsendelse(
      validInput({ dokumenter: [dokument({ filnavn: 'data.xml', mimetype: 'application/xml' })] }),
      { now: NOW },
    );
    const rest = inRestV1Terms(new ValidationError(problems));
    const mimeType = rest.problems.find((p) => p.field === 'dokumenter[0].mimeType');
    assert.ok(mimeType !== undefined, JSON.stringify(rest.problems));
    assert.match(mimeType.message, /sett ekskluderesFraUtskrift eller kunDigitalLevering for andre filtyper$/);
    assert.doesNotMatch(mimeType.message, /ekskluderesFraPrint/);
  });

  it('every field the domain rules name maps to a path the REST schema knows', () => {
    const problems = validateForsendelse(
      validInput({
        mottaker: {
          postAdresse: { ...POST_ADRESSE, postnr: '12', poststed: '' },
          digitalAdresse: { type: 'person', fnr: '123' },
        },
        dokumenter: [dokument({ mimetype: '' })],
      }),
      { now: NOW },
    );
    assert.ok(problems.length >= 3);
    for (const p of problems) {
      const field = restV1FieldPath(p.field);
      assert.doesNotMatch(field, /\.(fnr|orgnr|postnr|poststed|mimetype)\b/, `${p.field} → ${field}`);
    }
  });
});
