/** A SOAP fault names each field as the caller's WSDL does, and advises only elements its version has. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../../src/domain/errors.js';
import { inSoapVersionTerms } from '../../../src/http/soap/fault-field-names.js';
import { SERVICE_VERSIONS } from '../../../src/http/soap/service-versions.js';

const refusal = new ValidationError([
  {
    field: 'mottaker.digitalAdresse.fnr',
    message: 'Ugyldig fødselsnummer: mottaker.digitalAdresse.fnr må være 11 siffer med gyldige kontrollsiffer',
  },
  {
    field: 'mottaker.postAdresse.postnr',
    message: 'Mangler postnummer: mottaker.postAdresse.postnr må fylles ut når forsendelsen kan sendes på papir',
  },
  {
    field: 'dokumenter[0].mimetype',
    message:
      'Ugyldig mimetype: dokumenter[0].mimetype må være application/pdf når dokumentet kan skrives ut; sett ekskluderesFraPrint eller kunDigitalLevering for andre filtyper',
  },
  { field: 'forsendelseType', message: 'For lang tekst: forsendelseType kan ha høyst 100 tegn (har 101)' },
]);

function inTermsOf(name: string): { field: string; message: string }[] {
  const version = SERVICE_VERSIONS.find((v) => v.name === name);
  assert.ok(version, name);
  return inSoapVersionTerms(refusal, version).problems.map((p) => ({ field: p.field, message: p.message }));
}

describe('SOAP faults in the terms of the caller’s version', () => {
  it('V4 and V6: the flat mottaker, dokumentType, and no ekskluderesFraPrint to advise', () => {
    for (const name of ['ForsendelsesServiceV4', 'ForsendelsesServiceV6']) {
      const [fnr, postnr, mimetype, type] = inTermsOf(name);
      assert.deepEqual(fnr, {
        field: 'mottaker.fodselsnr',
        message: 'Ugyldig fødselsnummer: mottaker.fodselsnr må være 11 siffer med gyldige kontrollsiffer',
      });
      assert.equal(postnr?.field, 'mottaker.postnr');
      assert.match(postnr?.message ?? '', /^Mangler postnummer: mottaker\.postnr må/);
      assert.match(mimetype?.message ?? '', /; sett kunDigitalLevering for andre filtyper$/);
      assert.equal(type?.field, 'dokumentType');
    }
  });

  it('V8: its own names, the advice without ekskluderesFraPrint; V9: as the canonical model', () => {
    assert.match(inTermsOf('ForsendelsesServiceV8')[2]?.message ?? '', /; sett kunDigitalLevering for andre/);
    assert.deepEqual(
      inTermsOf('ForsendelsesServiceV9'),
      refusal.problems.map((p) => ({ field: p.field, message: p.message })),
    );
  });

  it('V10 and V11: camelCase, ekskluderesFraUtskrift', () => {
    for (const name of ['ForsendelsesServiceV10', 'ForsendelsesServiceV11']) {
      const [fnr, postnr, mimetype, type] = inTermsOf(name);
      assert.equal(fnr?.field, 'mottaker.digitalAdresse.fodselsNummer');
      assert.equal(postnr?.field, 'mottaker.postAdresse.postNummer');
      assert.equal(mimetype?.field, 'dokumenter[0].mimeType');
      assert.match(
        mimetype?.message ?? '',
        /^Ugyldig mimetype: dokumenter\[0\]\.mimeType .*sett ekskluderesFraUtskrift eller/,
      );
      assert.equal(type?.field, 'forsendelsesType');
    }
  });

  it('V11: leveringsmetode where V10 and older advise kunDigitalLevering, which V11 does not have (found in a review)', () => {
    assert.match(inTermsOf('ForsendelsesServiceV10')[2]?.message ?? '', /eller kunDigitalLevering for andre filtyper$/);
    const v11 = inTermsOf('ForsendelsesServiceV11');
    assert.match(
      v11[2]?.message ?? '',
      /eller leveringsmetode KUN_DIGITAL_UTEN_LEVERANSEGARANTI\(_MASSEUTSENDELSE\) for andre filtyper$/,
    );
    assert.ok(v11.every((p) => !p.message.includes('kunDigitalLevering')));
    const digital = new ValidationError([
      {
        field: 'mottaker.digitalAdresse',
        message:
          'Mangler digital adresse: mottaker.digitalAdresse må ha fødselsnummer eller organisasjonsnummer når kunDigitalLevering er satt',
      },
    ]);
    const version = SERVICE_VERSIONS.find((v) => v.name === 'ForsendelsesServiceV11');
    assert.ok(version);
    assert.match(
      inSoapVersionTerms(digital, version).problems[0]?.message ?? '',
      /når leveringsmetode KUN_DIGITAL_UTEN_LEVERANSEGARANTI\(_MASSEUTSENDELSE\) er satt$/,
    );
  });

  it('V4 and V6: a missing address as a whole names mottaker itself, which is all those versions have', () => {
    const whole = new ValidationError([
      {
        field: 'mottaker.postAdresse',
        message:
          'Mangler postadresse: mottaker.postAdresse må fylles ut med navn, postnr og poststed når forsendelsen kan sendes på papir',
      },
      {
        field: 'mottaker.digitalAdresse',
        message:
          'Mangler digital adresse: mottaker.digitalAdresse må ha fødselsnummer eller organisasjonsnummer når kunDigitalLevering er satt',
      },
    ]);
    for (const name of ['ForsendelsesServiceV4', 'ForsendelsesServiceV6']) {
      const version = SERVICE_VERSIONS.find((v) => v.name === name);
      assert.ok(version, name);
      const [post, digital] = inSoapVersionTerms(whole, version).problems;
      assert.equal(post?.field, 'mottaker');
      assert.match(post?.message ?? '', /^Mangler postadresse: mottaker må fylles ut med navn, postnr og poststed/);
      assert.equal(digital?.field, 'mottaker');
      assert.doesNotMatch(`${post?.message} ${digital?.message}`, /postAdresse|digitalAdresse/);
    }
  });

  it('V10 and V11: a bad id is forsendelsesId, as their WSDLs spell the element', () => {
    const id = new ValidationError([
      { field: 'forsendelsesid', message: "Ugyldig forsendelses-id: forsendelsesid må være en UUID, fikk 'abc'" },
    ]);
    for (const name of ['ForsendelsesServiceV10', 'ForsendelsesServiceV11']) {
      const version = SERVICE_VERSIONS.find((v) => v.name === name);
      assert.ok(version, name);
      assert.deepEqual(inSoapVersionTerms(id, version).problems, [
        { field: 'forsendelsesId', message: "Ugyldig forsendelses-id: forsendelsesId må være en UUID, fikk 'abc'" },
      ]);
    }
  });
});
