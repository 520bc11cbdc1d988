/** Lenient binding of <forsendelse> to ForsendelseInput (docs/interfaces.md §5, §15 points 4, 5, 8). */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ValidationError } from '../../../src/domain/errors.js';
import { EnvelopeReader } from '../../../src/http/soap/envelope-reader.js';
import { bindForsendelse, type BoundForsendelse } from '../../../src/http/soap/forsendelse-binding.js';
import { DEFAULT_SOAP_LIMITS } from '../../../src/http/soap/limits.js';
import { child } from '../../../src/http/soap/xml-element.js';
import { FileBlobStore } from '../../../src/storage/files/index.js';
import { FNR, ORGNR, SOAP11, V9, XSI } from '../../fixtures/soap/index.js';

describe('bindForsendelse', () => {
  let dir: string;
  let blobs: FileBlobStore;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-binding-'));
    blobs = new FileBlobStore(dir);
  });
  after(async () => rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 }));

  async function bind(forsendelse: string, wrapperAttrs = ''): Promise<BoundForsendelse> {
    const xml = `<soap:Envelope xmlns:soap="${SOAP11}"><soap:Body><ns2:sendForsendelse xmlns:ns2="${V9}"${wrapperAttrs}>${forsendelse}</ns2:sendForsendelse></soap:Body></soap:Envelope>`;
    async function* one(): AsyncGenerator<Uint8Array> {
      yield Buffer.from(xml);
    }
    const env = await new EnvelopeReader(blobs, DEFAULT_SOAP_LIMITS).read(one());
    return bindForsendelse(child(env.operation, 'forsendelse'));
  }

  it('defaults missing booleans to false and ignores unknown elements and order', async () => {
    const { input } = await bind(
      '<forsendelse><ukjent><dypt/></ukjent><tittel>T</tittel><kryptert>1</kryptert><kunDigitalLevering>TRUE</kunDigitalLevering></forsendelse>',
    );
    assert.equal(input.tittel, 'T');
    assert.equal(input.kryptert, true);
    assert.equal(input.kunDigitalLevering, true);
    assert.equal(input.krevNiva4Innlogging, false);
    assert.equal(input.svarPaForsendelseLink, false);
    assert.equal(input.taushetsbelagtPost, false);
    assert.deepEqual(input.lenker, []);
    assert.deepEqual(input.dokumenter, []);
  });

  it('binds every V9 field', async () => {
    const { input, dataSlots } = await bind(
      `<forsendelse><tittel>Vedtak</tittel><avgivendeSystem>sys</avgivendeSystem><eksternref>ref-1</eksternref>` +
        `<forsendelseType>Byggesøknad</forsendelseType><konteringskode>K-1</konteringskode><krevNiva4Innlogging>true</krevNiva4Innlogging>` +
        `<printkonfigurasjon><tosidig>true</tosidig><brevtype>apost</brevtype></printkonfigurasjon>` +
        `<lenker><urlLenke> https://x.no </urlLenke><urlTekst>Les</urlTekst><ledetekst>Se</ledetekst></lenker><lenker xsi:nil="true" xmlns:xsi="${XSI}"/>` +
        `<metadataFraAvleverendeSystem><saksaar>2024</saksaar><sakssekvensnummer>7</sakssekvensnummer><journaldato>2024-01-02</journaldato>` +
        `<ekstraMetadata><key>k</key><value>v</value></ekstraMetadata><saksbehandler>Ola</saksbehandler></metadataFraAvleverendeSystem>` +
        `<metadataForImport><saksaar>2023</saksaar><journalposttype>U</journalposttype></metadataForImport>` +
        `<svarSendesTil><digitalAdresse xmlns:xsi="${XSI}" xsi:type="ns2:organisasjonDigitalAdresse"><orgnr>${ORGNR}</orgnr></digitalAdresse>` +
        `<postAdresse><navn>Kommunen</navn><postnr>3710</postnr><poststed>Skien</poststed></postAdresse></svarSendesTil>` +
        `<svarPaForsendelse>abc</svarPaForsendelse><svarPaForsendelseLink>0</svarPaForsendelseLink>` +
        `<signaturtype>AVANSERT_SIGNATUR</signaturtype><signeringUtloper>2024-05-01T12:00:00Z</signeringUtloper>` +
        `<dokumenter><filnavn>a.pdf</filnavn><mimetype> application/pdf </mimetype><dokumentType>U</dokumentType><giroarkSider>2</giroarkSider><giroarkSider>3</giroarkSider>` +
        `<skalSigneres>true</skalSigneres><ekskluderesFraPrint>false</ekskluderesFraPrint><data>QUJD</data></dokumenter>` +
        `<dokumenter><filnavn>b.xml</filnavn><mimetype>text/xml</mimetype></dokumenter></forsendelse>`,
    );
    assert.deepEqual(input.printkonfigurasjon, { tosidig: true, fargePrint: false, brevtype: 'APOST' });
    assert.deepEqual(input.lenker, [{ urlLenke: 'https://x.no', urlTekst: 'Les', ledetekst: 'Se' }]);
    assert.deepEqual(input.metadataFraAvleverendeSystem, {
      saksaar: 2024,
      sakssekvensnummer: 7,
      journaldato: Date.UTC(2024, 0, 1, 23),
      saksbehandler: 'Ola',
      ekstraMetadata: [{ key: 'k', value: 'v' }],
    });
    assert.deepEqual(input.metadataForImport, { saksaar: 2023, journalposttype: 'U' });
    assert.deepEqual(input.svarSendesTil, {
      digitalAdresse: { type: 'organisasjon', orgnr: ORGNR },
      postAdresse: { navn: 'Kommunen', postnr: '3710', poststed: 'Skien' },
    });
    assert.equal(input.svarPaForsendelse, 'abc');
    assert.equal(input.signaturtype, 'AVANSERT_SIGNATUR');
    assert.equal(input.signeringUtloper, Date.UTC(2024, 4, 1, 12));
    assert.deepEqual(input.dokumenter[0], {
      filnavn: 'a.pdf',
      mimetype: 'application/pdf',
      dokumentType: 'U',
      ekskluderesFraPrint: false,
      skalSigneres: true,
      inneholderPersonsensitivInformasjon: false,
      giroarkSider: [2, 3],
      ekstraMetadata: [],
    });
    assert.deepEqual(dataSlots, [0, undefined]);
  });

  it('types digitalAdresse by xsi:type with any prefix, else by its content', async () => {
    const adr = async (digital: string, attrs = ''): Promise<unknown> =>
      (await bind(`<forsendelse><mottaker>${digital}</mottaker></forsendelse>`, attrs)).input.mottaker?.digitalAdresse;
    assert.deepEqual(
      await adr(
        `<digitalAdresse xmlns:xsi="${XSI}" xsi:type="tns:personDigitalAdresse"><fnr>${FNR}</fnr></digitalAdresse>`,
        ` xmlns:tns="${V9}"`,
      ),
      { type: 'person', fnr: FNR },
    );
    assert.deepEqual(
      await adr(
        `<digitalAdresse xmlns:q1="${V9}" xmlns:i="${XSI}" i:type="q1:organisasjonDigitalAdresse"><orgnr>${ORGNR}</orgnr></digitalAdresse>`,
      ),
      { type: 'organisasjon', orgnr: ORGNR },
    );
    // A prefix bound to another namespace is no V9 type: the content decides.
    assert.deepEqual(
      await adr(
        `<digitalAdresse xmlns:o="urn:o" xmlns:xsi="${XSI}" xsi:type="o:personDigitalAdresse"><orgnr>${ORGNR}</orgnr></digitalAdresse>`,
      ),
      { type: 'organisasjon', orgnr: ORGNR },
    );
    assert.deepEqual(await adr(`<digitalAdresse><fnr> ${FNR} </fnr></digitalAdresse>`), { type: 'person', fnr: FNR });
    assert.equal(
      await adr(`<digitalAdresse xmlns:xsi="${XSI}" xsi:type="ns2:organisasjonDigitalAdresse"/>`),
      undefined,
    );
    assert.equal(
      await adr(
        `<digitalAdresse xmlns:xsi="${XSI}" xsi:type="ns2:personDigitalAdresse"><orgnr>${ORGNR}</orgnr></digitalAdresse>`,
      ),
      undefined,
    );
  });

  it('finds a forsendelsesid inside <forsendelse> (the Node client’s sendForsendelseMedId)', async () => {
    assert.equal(
      (await bind('<forsendelse><forsendelsesid> abc </forsendelsesid><tittel>T</tittel></forsendelse>')).innerId,
      'abc',
    );
  });

  it('tolerates a missing <forsendelse> (the service then names what is missing)', async () => {
    const { input } = await bind('');
    assert.equal(input.tittel, '');
    assert.equal(input.mottaker, undefined);
  });

  it('collects every unreadable value into one ValidationError naming the fields', async () => {
    await assert.rejects(
      bind(
        '<forsendelse><kryptert>kanskje</kryptert><metadataForImport><saksaar>tjue</saksaar></metadataForImport>' +
          '<dokumenter><giroarkSider>x</giroarkSider><skalSigneres>yes</skalSigneres></dokumenter><signaturtype>BANKID</signaturtype></forsendelse>',
      ),
      (e: unknown) => {
        assert.ok(e instanceof ValidationError);
        assert.deepEqual(
          e.problems.map((p) => p.field),
          [
            'dokumenter[0].giroarkSider',
            'dokumenter[0].skalSigneres',
            'signaturtype',
            'kryptert',
            'metadataForImport.saksaar',
          ],
        );
        return true;
      },
    );
  });

  it('refuses text where a structure belongs, and an element inside a giroarkSider, naming each (not read as absent)', async () => {
    await assert.rejects(
      bind(
        `<forsendelse xmlns:xsi="${XSI}"><tittel>T</tittel>` +
          `<mottaker><digitalAdresse xsi:type="ns2:personDigitalAdresse">${FNR}</digitalAdresse>` +
          `<postAdresse>Kari, Storgata 1</postAdresse></mottaker><printkonfigurasjon>true</printkonfigurasjon>` +
          `<lenker>https://x.no</lenker><metadataFraAvleverendeSystem>tekst<ekstraMetadata>k=v</ekstraMetadata></metadataFraAvleverendeSystem>` +
          `<dokumenter><filnavn>a.pdf</filnavn><giroarkSider><b>1</b></giroarkSider></dokumenter></forsendelse>`,
      ),
      (e: unknown) => {
        assert.ok(e instanceof ValidationError);
        assert.deepEqual(
          e.problems.map((p) => p.message),
          [
            'Ugyldig verdi: forsendelse.dokumenter[0].giroarkSider[0] kan ikke inneholde elementer (fant «b»)',
            `Ugyldig verdi: forsendelse.mottaker.postAdresse skal inneholde elementer, ikke tekst (fant «Kari, Storgata 1»)`,
            `Ugyldig verdi: forsendelse.mottaker.digitalAdresse skal inneholde elementer, ikke tekst (fant «${FNR}»)`,
            'Ugyldig verdi: forsendelse.printkonfigurasjon skal inneholde elementer, ikke tekst (fant «true»)',
            'Ugyldig verdi: forsendelse.lenker[0] skal inneholde elementer, ikke tekst (fant «https://x.no»)',
            'Ugyldig verdi: forsendelse.metadataFraAvleverendeSystem skal inneholde elementer, ikke tekst (fant «tekst»)',
            'Ugyldig verdi: forsendelse.metadataFraAvleverendeSystem.ekstraMetadata[0] skal inneholde elementer, ikke tekst (fant «k=v»)',
          ],
        );
        return true;
      },
    );
    const pretty = await bind(
      `<forsendelse>\n  <tittel>T</tittel>\n  <mottaker>\n    <digitalAdresse xmlns:xsi="${XSI}" xsi:type="ns2:personDigitalAdresse">\n      <fnr>${FNR}</fnr>\n    </digitalAdresse>\n  </mottaker>\n</forsendelse>`,
    );
    assert.deepEqual(
      pretty.input.mottaker,
      { digitalAdresse: { type: 'person', fnr: FNR } },
      'blanks between elements are no text',
    );
  });
});
