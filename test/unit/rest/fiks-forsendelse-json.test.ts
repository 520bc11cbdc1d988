/**
 * REST v2 and v3 forsendelse JSON onto the canonical model: every field lands where v1's
 * and SOAP's equivalents do, a v3 recipient of the wrong kind is refused naming
 * `mottaker.digitalId`, and wrongly typed values are named field errors.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../../src/domain/errors.js';
import { forsendelseFromV2Json, forsendelseFromV3Json } from '../../../src/http/fiks/fiks-forsendelse-json.js';
import { forsendelseFromV1Json } from '../../../src/http/rest/v1-forsendelse-json.js';

const FNR = '01019000083';
const ORGNR = '974760673';
const ADRESSE = { adresselinje1: 'Storgata 1', postnummer: '0155', poststed: 'Oslo', landkode: 'NO' };

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ValidationError);
    return error.problems.map((p) => p.field);
  }
  assert.fail('expected a ValidationError');
}

describe('REST v2 forsendelse JSON', () => {
  it('takes a date only as an ISO 8601 string, as the spec types it: a number is refused naming the field', () => {
    // KS's Jackson reads a number as epoch seconds; taken as milliseconds here it landed elsewhere.
    const base = { tittel: 'T', mottaker: { navn: 'Kari', digitalId: FNR, ...ADRESSE }, dokumenter: [] };
    assert.deepEqual(
      problems(() => forsendelseFromV2Json({ ...base, signeringUtloper: 1896525181000 })),
      ['signeringUtloper'],
    );
    assert.deepEqual(
      problems(() => forsendelseFromV2Json({ ...base, metadataFraAvleverendeSystem: { journaldato: 1796525181000 } })),
      ['metadataFraAvleverendeSystem.journaldato'],
    );
  });

  it('maps the flat mottaker, Noark metadata, print options, links and documents', () => {
    const input = forsendelseFromV2Json({
      tittel: 'T',
      mottaker: { navn: 'Kari', digitalId: FNR, adresselinje1: 'Gata 1', postnummer: '0155', poststed: 'Oslo' },
      svarSendesTil: {
        navn: 'Kommunen',
        digitalId: ORGNR,
        adresselinje1: 'Postboks 1',
        postnummer: '3800',
        poststed: 'Bø',
      },
      utskriftskonfigurasjon: { utskriftMedFarger: true, tosidig: true },
      konteringskode: 'K-1',
      forsendelsestype: 'Byggesøknad',
      eksternReferanse: 'ref',
      korrelasjonsid: 'runde-2026-12',
      avgivendeSystemAktor: 'saksbehandler kari',
      krevNiva4Innlogging: true,
      kunDigitalLevering: false,
      svarPaForsendelse: '6f1c6a52-0c6f-4b5e-9f43-9d2f3d1b2a11',
      signaturType: 'AVANSERT_SIGNATUR',
      signeringUtloper: '2030-01-01T12:00:00+01:00',
      metadataFraAvleverendeSystem: { saksaar: 2026, sakssekvensnummer: 7, journaldato: '2026-01-02T00:00:00Z' },
      lenker: [{ url: 'https://kommune.no', tekst: 'Les mer', ledetekst: 'Se' }],
      eksponertFor: [ORGNR],
      dokumenter: [
        {
          filnavn: 'a.pdf',
          mimeType: 'application/pdf',
          giroarkSider: [1, 2],
          skalEkskluderesFraUtskrift: true,
          ekstraMetadata: [{ key: 'k', value: 'v' }],
        },
      ],
    });
    assert.deepEqual(input.mottaker?.digitalAdresse, { type: 'person', fnr: FNR });
    assert.equal(input.mottaker?.postAdresse?.adresse1, 'Gata 1');
    assert.deepEqual(input.svarSendesTil?.digitalAdresse, { type: 'organisasjon', orgnr: ORGNR });
    assert.deepEqual(input.printkonfigurasjon, { fargePrint: true, tosidig: true });
    assert.equal(input.forsendelseType, 'Byggesøknad');
    assert.equal(input.eksternref, 'ref');
    assert.equal(input.korrelasjonsid, 'runde-2026-12', 'kept, not dropped (found in a review)');
    assert.equal(input.avgivendeSystemAktor, 'saksbehandler kari');
    assert.equal(input.krevNiva4Innlogging, true);
    assert.equal(input.signaturtype, 'AVANSERT_SIGNATUR');
    assert.equal(input.signeringUtloper, Date.parse('2030-01-01T12:00:00+01:00'));
    assert.equal(input.metadataFraAvleverendeSystem?.journaldato, Date.parse('2026-01-02T00:00:00Z'));
    assert.deepEqual(input.lenker, [{ urlLenke: 'https://kommune.no', urlTekst: 'Les mer', ledetekst: 'Se' }]);
    assert.deepEqual(input.eksponertFor, [{ type: 'organisasjon', orgnr: ORGNR }]);
    assert.deepEqual(input.dokumenter[0]?.giroarkSider, [1, 2]);
    assert.equal(input.dokumenter[0]?.ekskluderesFraPrint, true);
  });

  it('names wrongly typed fields', () => {
    assert.deepEqual(problems(() => forsendelseFromV2Json({ tittel: 5, mottaker: [], kryptert: 'ja' })).sort(), [
      'kryptert',
      'mottaker',
    ]);
  });

  it('identifiers and codes are read without the blanks around them, as the SOAP doors read them (found in review)', () => {
    const v1 = forsendelseFromV1Json({
      tittel: 'T',
      mottaker: {
        digitalAdresse: { fodselsNummer: ` ${FNR} ` },
        postAdresse: { navn: ' Kari ', postNummer: ' 0155 ', postSted: 'Oslo' },
      },
      lenker: [{ urlLenke: ' https://x.no ', urlTekst: ' Les ' }],
      dokumenter: [{ filnavn: 'a.pdf', mimeType: ' application/pdf ' }],
    });
    assert.deepEqual(v1.mottaker?.digitalAdresse, { type: 'person', fnr: FNR });
    assert.equal(v1.mottaker?.postAdresse?.postnr, '0155');
    assert.equal(v1.mottaker?.postAdresse?.navn, ' Kari ', 'free text keeps its blanks');
    assert.equal(v1.lenker[0]?.urlLenke, 'https://x.no');
    assert.equal(v1.lenker[0]?.urlTekst, ' Les ', 'free text keeps its blanks');
    assert.equal(v1.dokumenter[0]?.mimetype, 'application/pdf');
    const v2 = forsendelseFromV2Json({
      tittel: 'T',
      mottaker: { navn: 'Kari', digitalId: ` ${FNR} `, ...ADRESSE, postnummer: ' 0155 ' },
      lenker: [{ url: ' https://x.no ', tekst: 'Les' }],
      dokumenter: [{ filnavn: 'a.pdf', mimeType: ' application/pdf ' }],
    });
    assert.deepEqual(v2.mottaker?.digitalAdresse, { type: 'person', fnr: FNR });
    assert.equal(v2.mottaker?.postAdresse?.postnr, '0155');
    assert.equal(v2.lenker[0]?.urlLenke, 'https://x.no');
    assert.equal(v2.dokumenter[0]?.mimetype, 'application/pdf');
  });

  it('an eksponertFor entry without a number is named, not dropped (found in review)', () => {
    const base = { tittel: 'T', mottaker: { navn: 'Kari', digitalId: FNR, ...ADRESSE }, dokumenter: [] };
    assert.deepEqual(
      problems(() => forsendelseFromV2Json({ ...base, eksponertFor: [FNR, ' '] })),
      ['eksponertFor[1]'],
    );
    assert.deepEqual(
      problems(() =>
        forsendelseFromV1Json({
          tittel: 'T',
          mottaker: { digitalAdresse: { fodselsNummer: FNR } },
          eksponertFor: [{ fodselsNummer: '' }, { fodselsNummer: FNR, organisasjonsNummer: ORGNR }],
          dokumenter: [],
        }),
      ),
      ['eksponertFor[0]', 'eksponertFor[1]'],
      'one problem each: both numbers is its own fault, not also "mangler"',
    );
  });

  it('a null entry in any list is named, not dropped: links, giro pages, metadata entries, exposed-to (found in review)', () => {
    const dokument = { filnavn: 'a.pdf', mimeType: 'application/pdf' };
    const base = { tittel: 'T', mottaker: { navn: 'Kari', digitalId: FNR, ...ADRESSE } };
    assert.deepEqual(
      problems(() =>
        forsendelseFromV2Json({
          ...base,
          lenker: [null],
          eksponertFor: [FNR, null],
          dokumenter: [{ ...dokument, giroarkSider: [1, null], ekstraMetadata: [null] }, null],
        }),
      ),
      [
        'lenker[0]',
        'eksponertFor[1]',
        'dokumenter[1]',
        'dokumenter[0].giroarkSider[1]',
        'dokumenter[0].ekstraMetadata[0]',
      ],
    );
    assert.deepEqual(
      problems(() =>
        forsendelseFromV1Json({
          tittel: 'T',
          mottaker: { digitalAdresse: { fodselsNummer: FNR } },
          lenker: [{ urlLenke: 'https://x.no', urlTekst: 'x' }, null],
          dokumenter: [{ ...dokument, giroarkSider: [null], ekstraMetadata: [null] }],
        }),
      ),
      ['lenker[1]', 'dokumenter[0].giroarkSider[0]', 'dokumenter[0].ekstraMetadata[0]'],
    );
  });

  it('refuses a forsendelse part that is no object, null included, naming forsendelse (found in review)', () => {
    // null was read as {}, so the send was refused naming only the files no dokument described.
    for (const json of [null, [], 'T', 5]) {
      assert.deepEqual(
        problems(() => forsendelseFromV2Json(json)),
        ['forsendelse'],
        JSON.stringify(json),
      );
    }
  });

  it("takes v3's field names as unknown fields, ignored as KS's Jackson does, not read as v2's (found in review)", () => {
    const mottaker = { navn: 'Kari', digitalId: FNR, adresselinje1: 'Gata 1', postnummer: '0155', poststed: 'Oslo' };
    const dokument = { filnavn: 'a.pdf', mimeType: 'application/pdf' };
    const base = { tittel: 'T', mottaker, svarSendesTil: { navn: 'Kommunen' }, dokumenter: [dokument] };
    const withV3Names = {
      ...base,
      kanSvareViaEdialog: true,
      svarPaForsendelseId: 'x',
      sikkerhetsniva: 'HOYESTE',
      signering: { signaturType: 'AUTENTISERT_SIGNATUR', signeringUtloper: 'i morgen' },
      mottaker: { ...mottaker, adresse: { ...ADRESSE, landkode: 'no' } },
      svarSendesTil: { navn: 'Kommunen', type: 'NHN_MOTTAKER', adresse: ADRESSE },
      dokumenter: [{ ...dokument, giroarkSide: 99 }],
    };
    assert.deepEqual(forsendelseFromV2Json(withV3Names), forsendelseFromV2Json(base));
  });
});

describe('REST v3 forsendelse JSON', () => {
  it('refuses a forsendelse part that is no object, null included, naming forsendelse (found in review)', () => {
    for (const kind of ['person', 'organisasjon', 'print'] as const) {
      for (const json of [null, [], 'T', 5]) {
        assert.deepEqual(
          problems(() => forsendelseFromV3Json(kind, json)),
          ['forsendelse'],
          `${kind} ${JSON.stringify(json)}`,
        );
      }
    }
  });

  it('person: sikkerhetsniva, signering, kanSvareViaEdialog, svarSendesTil, one giroarkSide, landkode', () => {
    const input = forsendelseFromV3Json('person', {
      tittel: 'T',
      mottaker: { navn: 'Kari', digitalId: FNR, adresse: ADRESSE },
      sikkerhetsniva: 'HOYESTE',
      kanSvareViaEdialog: true,
      signering: { signeringUtloper: '2030-01-01T00:00:00Z', signaturType: 'AUTENTISERT_SIGNATUR' },
      svarSendesTil: { navn: 'Kommunen', type: 'ORGANISASJON', digitalId: ORGNR, adresse: ADRESSE },
      svarPaForsendelseId: '6f1c6a52-0c6f-4b5e-9f43-9d2f3d1b2a11',
      korrelasjonsid: 'runde-2026-12',
      avgivendeSystemAktor: 'Kari',
      dokumenter: [{ filnavn: 'a.pdf', mimeType: 'application/pdf', giroarkSide: 2, skalSigneres: true }],
    });
    assert.equal(input.korrelasjonsid, 'runde-2026-12');
    assert.equal(input.avgivendeSystemAktor, 'Kari');
    assert.deepEqual(input.mottaker?.digitalAdresse, { type: 'person', fnr: FNR });
    assert.equal(input.mottaker?.postAdresse?.land, 'NO');
    assert.equal(input.krevNiva4Innlogging, true);
    assert.equal(input.svarPaForsendelseLink, true);
    assert.equal(input.svarPaForsendelse, '6f1c6a52-0c6f-4b5e-9f43-9d2f3d1b2a11');
    assert.equal(input.signaturtype, 'AUTENTISERT_SIGNATUR');
    assert.deepEqual(input.svarSendesTil?.digitalAdresse, { type: 'organisasjon', orgnr: ORGNR });
    assert.equal(input.svarSendesTil?.postAdresse?.navn, 'Kommunen');
    assert.deepEqual(input.dokumenter[0]?.giroarkSider, [2]);
    assert.equal(input.dokumenter[0]?.skalSigneres, true);
  });

  it('BETYDELIG is level 3; an unknown sikkerhetsniva is named', () => {
    const base = { tittel: 'T', mottaker: { navn: 'Kari', digitalId: FNR }, dokumenter: [] };
    assert.equal(forsendelseFromV3Json('person', { ...base, sikkerhetsniva: 'BETYDELIG' }).krevNiva4Innlogging, false);
    assert.deepEqual(
      problems(() => forsendelseFromV3Json('person', { ...base, sikkerhetsniva: 'NIVA4' })),
      ['sikkerhetsniva'],
    );
  });

  it('refuses an organisation number on /person and a fødselsnummer on /organisasjon', () => {
    assert.deepEqual(
      problems(() => forsendelseFromV3Json('person', { tittel: 'T', mottaker: { navn: 'AS', digitalId: ORGNR } })),
      ['mottaker.digitalId'],
    );
    assert.deepEqual(
      problems(() =>
        forsendelseFromV3Json('organisasjon', { tittel: 'T', mottaker: { navn: 'Kari', digitalId: FNR } }),
      ),
      ['mottaker.digitalId'],
    );
  });

  it('organisasjon: Noark metadata, forsendelsestype, taushetsbelagtPost', () => {
    const input = forsendelseFromV3Json('organisasjon', {
      tittel: 'T',
      mottaker: { navn: 'AS', digitalId: ORGNR },
      forsendelsestype: 'Byggesøknad',
      taushetsbelagtPost: true,
      metadataForImport: { saksaar: 2026, sakssekvensnummer: 3, tittel: 'Sak' },
      dokumenter: [{ filnavn: 'a.pdf', mimeType: 'application/pdf', dokumentType: 'Vedtak' }],
    });
    assert.deepEqual(input.mottaker?.digitalAdresse, { type: 'organisasjon', orgnr: ORGNR });
    assert.equal(input.forsendelseType, 'Byggesøknad');
    assert.equal(input.taushetsbelagtPost, true);
    assert.deepEqual(input.metadataForImport, {
      saksaar: 2026,
      sakssekvensnummer: 3,
      tittel: 'Sak',
      journalposttype: undefined,
      journalstatus: undefined,
      dokumentetsDato: undefined,
    });
    assert.equal(input.dokumenter[0]?.dokumentType, 'Vedtak');
  });

  it('a field only another kind has is ignored, as KS ignores it: neither kept nor checked (found in review)', () => {
    const other = {
      forsendelsestype: 'Byggesøknad',
      taushetsbelagtPost: true,
      metadataFraAvleverendeSystem: { saksaar: 999 },
    };
    const dokument = {
      filnavn: 'a.pdf',
      mimeType: 'application/pdf',
      ekstraMetadata: Array.from({ length: 21 }, (_, i) => ({ key: `k${i}`, value: 'v' })),
    };
    const person = forsendelseFromV3Json('person', {
      tittel: 'T',
      mottaker: { navn: 'Kari', digitalId: FNR },
      ...other,
      dokumenter: [dokument],
    });
    assert.equal(person.forsendelseType, undefined);
    assert.notEqual(person.taushetsbelagtPost, true);
    assert.equal(person.metadataFraAvleverendeSystem, undefined);
    assert.deepEqual(person.dokumenter[0]?.ekstraMetadata ?? [], []);
    // The kind whose schema has them checks them.
    assert.deepEqual(
      problems(() =>
        forsendelseFromV3Json('organisasjon', {
          tittel: 'T',
          mottaker: { navn: 'AS', digitalId: ORGNR },
          ...other,
          dokumenter: [dokument],
        }),
      ).sort(),
      ['dokumenter[0].ekstraMetadata', 'metadataFraAvleverendeSystem.saksaar'],
    );
  });

  it("v3 ignores v2's colour print inside utskriftskonfigurasjon, at any depth, as KS does (found in review)", () => {
    for (const utskriftMedFarger of [true, 'ja']) {
      const print = forsendelseFromV3Json('print', {
        tittel: 'T',
        mottaker: { navn: 'Kari', adresse: ADRESSE },
        utskriftskonfigurasjon: { tosidig: true, utskriftMedFarger },
        dokumenter: [{ filnavn: 'a.pdf', mimeType: 'application/pdf' }],
      });
      assert.notEqual(print.printkonfigurasjon?.fargePrint, true, String(utskriftMedFarger));
      assert.equal(print.printkonfigurasjon?.tosidig, true);
    }
    // v2 has it, and checks it.
    assert.deepEqual(
      problems(() =>
        forsendelseFromV2Json({
          tittel: 'T',
          mottaker: { navn: 'Kari', digitalId: FNR, ...ADRESSE },
          utskriftskonfigurasjon: { utskriftMedFarger: 'ja' },
          dokumenter: [],
        }),
      ),
      ['utskriftskonfigurasjon.utskriftMedFarger'],
    );
  });

  it("organisasjon: the receiving archive's case folder and registration ids are kept (NoarkMetadataForImport)", () => {
    const ids = {
      mappeId: 'fc051651-b853-4b4d-a7cd-fb2beea54356',
      mappeSystemId: 'M-2',
      systemId: '7044a03d-c459-4cbe-a4c3-371cc6751215',
      registreringsId: 'R-1',
      journalpostnummer: 4,
      journalaar: 2026,
      journalsekvensnummer: 17,
    };
    const input = forsendelseFromV3Json('organisasjon', {
      tittel: 'T',
      mottaker: { navn: 'AS', digitalId: ORGNR },
      metadataForImport: { saksaar: 2026, ...ids },
    });
    assert.deepEqual(input.metadataForImport, {
      saksaar: 2026,
      sakssekvensnummer: undefined,
      journalposttype: undefined,
      journalstatus: undefined,
      dokumentetsDato: undefined,
      tittel: undefined,
      ...ids,
    });
    assert.deepEqual(
      problems(() =>
        forsendelseFromV2Json({
          tittel: 'T',
          mottaker: { navn: 'AS', digitalId: ORGNR },
          metadataForImport: { registreringsId: 'R-9', journalaar: 'x' },
        }),
      ),
      ['metadataForImport.journalaar'],
    );
  });

  it('print: a postal recipient only, never digital only', () => {
    const input = forsendelseFromV3Json('print', {
      tittel: 'T',
      mottaker: { navn: 'Kari', adresse: ADRESSE, digitalId: FNR },
      kunDigitalLevering: true,
    });
    assert.equal(input.mottaker?.digitalAdresse, undefined);
    assert.equal(input.mottaker?.postAdresse?.poststed, 'Oslo');
    assert.equal(input.kunDigitalLevering, false);
  });
});
