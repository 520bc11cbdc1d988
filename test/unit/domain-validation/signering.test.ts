import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ForsendelseInput } from '../../../src/domain/model.js';
import { validateForsendelse } from '../../../src/domain/validation/index.js';
import { assertProblem } from './assertions.js';
import { DAY, FNR, NOW, ORGNR, POST_ADRESSE, dokument, validSigningInput } from './valid-input.js';

const check = (overrides: Partial<ForsendelseInput>) =>
  validateForsendelse(validSigningInput(overrides), { now: NOW, signeringstjeneste: true });

describe('signing orders (docs/interfaces.md §8, §13)', () => {
  it('accepts a complete order', () => {
    assert.deepEqual(check({}), []);
  });

  it('allows at most one document to sign', () => {
    const dokumenter = [
      dokument({ filnavn: 'a.pdf', skalSigneres: true }),
      dokument({ filnavn: 'b.pdf', skalSigneres: true }),
    ];
    assertProblem(
      check({ dokumenter }),
      'dokumenter[1].skalSigneres',
      /^For mange dokumenter til signering: .*\(dokumenter\[0\] skal allerede signeres\)/,
    );
  });

  it('requires the document to sign to be a PDF', () => {
    const dokumenter = [
      dokument(),
      dokument({ filnavn: 'a.xml', mimetype: 'application/xml', ekskluderesFraPrint: true, skalSigneres: true }),
    ];
    assertProblem(check({ dokumenter }), 'dokumenter[1].mimetype', /^Ugyldig dokument til signering/);
  });

  it('requires a person with fnr as recipient', () => {
    const mottaker = { digitalAdresse: { type: 'organisasjon', orgnr: ORGNR } as const, postAdresse: POST_ADRESSE };
    assertProblem(check({ mottaker }), 'mottaker.digitalAdresse.fnr', /^Signering krever en person som mottaker/);
    assertProblem(
      check({ mottaker: { postAdresse: POST_ADRESSE } }),
      'mottaker.digitalAdresse.fnr',
      /Signering krever/,
    );
  });

  it('requires signeringUtloper at least one day after now', () => {
    assertProblem(check({ signeringUtloper: undefined }), 'signeringUtloper', /^Mangler signeringsfrist/);
    assertProblem(
      check({ signeringUtloper: NOW + DAY - 1 }),
      'signeringUtloper',
      /^For kort signeringsfrist: .* minst ett døgn fram i tid \(er 12\.01\.2027 09:59:59\)/,
    );
    assertProblem(check({ signeringUtloper: NOW - DAY }), 'signeringUtloper', /For kort signeringsfrist/);
    assert.deepEqual(check({ signeringUtloper: NOW + DAY }), []);
  });

  it('measures the day from the now it is given', () => {
    const utloper = NOW + 2 * DAY;
    assert.deepEqual(
      validateForsendelse(validSigningInput({ signeringUtloper: utloper }), { now: NOW, signeringstjeneste: true }),
      [],
    );
    assertProblem(
      validateForsendelse(validSigningInput({ signeringUtloper: utloper }), {
        now: NOW + 1.5 * DAY,
        signeringstjeneste: true,
      }),
      'signeringUtloper',
      /For kort/,
    );
  });

  it('requires a signaturtype', () => {
    assertProblem(
      check({ signaturtype: undefined }),
      'signaturtype',
      /^Mangler signaturtype: .*AUTENTISERT_SIGNATUR eller AVANSERT_SIGNATUR/,
    );
    assert.deepEqual(check({ signaturtype: 'AUTENTISERT_SIGNATUR' }), []);
  });

  it('requires svarSendesTil with an orgnr to receive the signed document', () => {
    assertProblem(
      check({ svarSendesTil: undefined }),
      'svarSendesTil.digitalAdresse.orgnr',
      /^Mangler svaradresse: .*signerte dokumentet/,
    );
    const personReply = { digitalAdresse: { type: 'person', fnr: FNR } as const, postAdresse: POST_ADRESSE };
    assertProblem(check({ svarSendesTil: personReply }), 'svarSendesTil.digitalAdresse.orgnr', /Mangler svaradresse/);
  });

  it('does not apply when no document is to be signed', () => {
    const dokumenter = [dokument()];
    assert.deepEqual(
      check({ dokumenter, signeringUtloper: undefined, signaturtype: undefined, svarSendesTil: undefined }),
      [],
    );
  });
});

describe('signing orders without a signing service (the default)', () => {
  it('refuses each document to sign with a Norwegian message naming it, instead of delivering it unsigned', () => {
    const problems = validateForsendelse(validSigningInput({}), { now: NOW });
    assert.deepEqual(problems, [
      {
        field: 'dokumenter[0].skalSigneres',
        message:
          'Signering støttes ikke: dokumenter[0].skalSigneres kan ikke være true: ingen signeringstjeneste er koblet til, og brevet blir ikke sendt usignert som om det var signert. Send det uten skalSigneres, eller via en tjeneste som tilbyr signering',
      },
    ]);
    assert.deepEqual(
      validateForsendelse(validSigningInput({ dokumenter: [dokument({ filnavn: 'avtale.pdf' })] }), { now: NOW }),
      [],
      'a letter with nothing to sign is taken',
    );
  });
});
