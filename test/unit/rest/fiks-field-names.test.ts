/**
 * REST v2/v3 refusals name each field as KS's OpenAPI JSON does (src/http/fiks/fiks-field-names.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../../src/domain/errors.js';
import { fiksFieldPath, inFiksTerms } from '../../../src/http/fiks/fiks-field-names.js';
import { unprintableAddressProblems } from '../../../src/pdf/address-fit.js';

describe('fiksFieldPath', () => {
  it('names the recipient and the reply address as v2 (flat) and v3 (adresse) write them', () => {
    const cases: [string, string, string][] = [
      ['mottaker.digitalAdresse.fnr', 'mottaker.digitalId', 'mottaker.digitalId'],
      ['mottaker.digitalAdresse', 'mottaker.digitalId', 'mottaker.digitalId'],
      ['svarSendesTil.digitalAdresse.orgnr', 'svarSendesTil.digitalId', 'svarSendesTil.digitalId'],
      ['mottaker.postAdresse.navn', 'mottaker.navn', 'mottaker.navn'],
      ['mottaker.postAdresse.adresse1', 'mottaker.adresselinje1', 'mottaker.adresse.adresselinje1'],
      ['mottaker.postAdresse.postnr', 'mottaker.postnummer', 'mottaker.adresse.postnummer'],
      ['mottaker.postAdresse.land', 'mottaker.land', 'mottaker.adresse.landkode'],
      ['mottaker.postAdresse', 'mottaker', 'mottaker.adresse'],
      ['eksponertFor[2].fnr', 'eksponertFor[2]', 'eksponertFor[2]'],
    ];
    for (const [canonical, v2, v3] of cases) {
      assert.equal(fiksFieldPath(canonical, 'v2'), v2, canonical);
      assert.equal(fiksFieldPath(canonical, 'v3'), v3, canonical);
    }
  });

  it('names the letter, its documents and links as the JSON does; names already in the JSON stay', () => {
    const cases: [string, string, string][] = [
      ['eksternref', 'eksternReferanse', 'eksternReferanse'],
      ['forsendelseType', 'forsendelsestype', 'forsendelsestype'],
      ['krevNiva4Innlogging', 'krevNiva4Innlogging', 'sikkerhetsniva'],
      ['svarPaForsendelseLink', 'svarPaForsendelseLink', 'kanSvareViaEdialog'],
      ['svarPaForsendelse', 'svarPaForsendelse', 'svarPaForsendelseId'],
      ['signaturtype', 'signaturType', 'signering.signaturType'],
      ['dokumenter[0].mimetype', 'dokumenter[0].mimeType', 'dokumenter[0].mimeType'],
      ['dokumenter[1].giroarkSider', 'dokumenter[1].giroarkSider', 'dokumenter[1].giroarkSide'],
      [
        'dokumenter[0].ekskluderesFraPrint',
        'dokumenter[0].skalEkskluderesFraUtskrift',
        'dokumenter[0].skalEkskluderesFraUtskrift',
      ],
      ['lenker[3].urlLenke', 'lenker[3].url', 'lenker[3].url'],
      [
        'printkonfigurasjon.fargePrint',
        'utskriftskonfigurasjon.utskriftMedFarger',
        'utskriftskonfigurasjon.utskriftMedFarger',
      ],
      ['tittel', 'tittel', 'tittel'],
      ['mottaker.adresse.postnummer', 'mottaker.adresse.postnummer', 'mottaker.adresse.postnummer'],
      ['metadataForImport.saksaar', 'metadataForImport.saksaar', 'metadataForImport.saksaar'],
    ];
    for (const [canonical, v2, v3] of cases) {
      assert.equal(fiksFieldPath(canonical, 'v2'), v2, canonical);
      assert.equal(fiksFieldPath(canonical, 'v3'), v3, canonical);
    }
  });
});

describe('inFiksTerms', () => {
  it('renames the field in errorJson and in the message, and the other fields a message mentions', () => {
    const error = new ValidationError([
      { field: 'mottaker.postAdresse.postnr', message: 'Mangler postnummer: mottaker.postAdresse.postnr må fylles ut' },
      { field: 'kryptert', message: 'Mangler kryptering: kryptert må være true når krevNiva4Innlogging er satt' },
      {
        field: 'dokumenter[0].mimetype',
        message: 'Ugyldig mimetype: dokumenter[0].mimetype …; sett ekskluderesFraPrint eller kunDigitalLevering',
      },
    ]);
    assert.deepEqual(inFiksTerms(error, 'v3').problems, [
      { field: 'mottaker.adresse.postnummer', message: 'Mangler postnummer: mottaker.adresse.postnummer må fylles ut' },
      { field: 'kryptert', message: 'Mangler kryptering: kryptert må være true når sikkerhetsniva er HOYESTE' },
      {
        field: 'dokumenter[0].mimeType',
        message: 'Ugyldig mimetype: dokumenter[0].mimeType …; sett skalEkskluderesFraUtskrift eller kunDigitalLevering',
      },
    ]);
    assert.equal(
      inFiksTerms(error, 'v2').problems[1]?.message,
      'Mangler kryptering: kryptert må være true når krevNiva4Innlogging er satt',
    );
  });
});

describe('the printability refusals in each door’s words (review of 7 December 2026)', () => {
  it('v2 and v3 name the field and the address lines as their JSON does', async () => {
    const problems = await unprintableAddressProblems(
      { navn: 'Kari\nNordmann', adresse1: 'Storgata 1', postnr: '0155', poststed: 'Oslo' },
      'mottaker.postAdresse',
    );
    const [v3] = inFiksTerms(new ValidationError(problems), 'v3').problems;
    assert.equal(v3?.field, 'mottaker.navn');
    assert.match(v3?.message ?? '', /^Ugyldig adresse: mottaker\.navn inneholder et linjeskift/);
    assert.match(v3?.message ?? '', /bruk adresselinje1, adresselinje2 og adresselinje3 for flere linjer/);
  });
});
