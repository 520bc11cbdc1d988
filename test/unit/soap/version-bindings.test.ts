/**
 * The version models onto the one letter model (docs/interfaces.md §6a): V4/V6's abstract
 * `mottaker` typed privatPerson/organisasjon and V6's forsendelse-level dokumentType; V10/V11's
 * camelCase names and wrappers, V11's eksponertFor; and each version's status enumeration
 * (docs/interfaces.md §7a), seen through the door.
 */
import assert from 'node:assert/strict';
import { ValidationError } from '../../../src/domain/errors.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { StatusView } from '../../../src/app/forsendelse-service.js';
import { FORSENDELSE_STATUSES, type ForsendelseStatus } from '../../../src/domain/model.js';
import { bindCamelForsendelse } from '../../../src/http/soap/camel-forsendelse-binding.js';
import { EnvelopeReader } from '../../../src/http/soap/envelope-reader.js';
import { bindForsendelse } from '../../../src/http/soap/forsendelse-binding.js';
import { DEFAULT_SOAP_LIMITS } from '../../../src/http/soap/limits.js';
import { SERVICE_VERSIONS } from '../../../src/http/soap/service-versions.js';
import { child, type XmlElement } from '../../../src/http/soap/xml-element.js';
import { FileBlobStore } from '../../../src/storage/files/index.js';
import { FNR, ORGNR, SOAP12, versionForsendelse, versionNamespace, XSI } from '../../fixtures/soap/index.js';
import { AUTH, nodeClientReturns, post } from './support/post.js';
import { FIXED_STATUS_TIME, RecordingService } from './support/recording-service.js';
import { startSoapServer, type RunningSoapServer } from './support/soap-server.js';

const version = (name: string) => {
  const v = SERVICE_VERSIONS.find((s) => s.name === name);
  assert.ok(v, name);
  return v;
};

describe('version bindings', () => {
  let dir: string;
  let blobs: FileBlobStore;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-versions-'));
    blobs = new FileBlobStore(dir);
  });
  after(async () => rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 }));

  async function forsendelseOf(ns: string, inner: string): Promise<XmlElement | undefined> {
    const xml = `<soap:Envelope xmlns:soap="${SOAP12}"><soap:Body><ns2:sendForsendelse xmlns:ns2="${ns}"><forsendelse>${inner}</forsendelse></ns2:sendForsendelse></soap:Body></soap:Envelope>`;
    async function* one(): AsyncGenerator<Uint8Array> {
      yield Buffer.from(xml);
    }
    return child((await new EnvelopeReader(blobs, DEFAULT_SOAP_LIMITS).read(one())).operation, 'forsendelse');
  }

  it('V4: privatPerson is a person with a postal address; the fixture fields all arrive', async () => {
    const v4 = version('ForsendelsesServiceV4');
    const el = await forsendelseOf(
      v4.namespace,
      versionForsendelse('V4', [{ data: '', filnavn: 'a.pdf' }], 'ns2', 'Tittel'),
    );
    const { input } = bindForsendelse(el, v4);
    assert.deepEqual(input.mottaker, {
      digitalAdresse: { type: 'person', fnr: FNR },
      postAdresse: { navn: 'Kari Nordmann', adresse1: 'Storgata 1', postnr: '0155', poststed: 'Oslo' },
    });
    assert.equal(input.tittel, 'Tittel');
    assert.equal(input.konteringskode, 'K-V4');
    assert.deepEqual(input.printkonfigurasjon, { tosidig: true, fargePrint: false, brevtype: 'BPOST' });
    assert.deepEqual(
      input.dokumenter.map((d) => [d.filnavn, d.mimetype]),
      [['a.pdf', 'application/pdf']],
    );
  });

  it("V4/V6: organisasjon by xsi:type (any prefix bound to the version), another namespace's type falls back to the number", async () => {
    const v6 = version('ForsendelsesServiceV6');
    const org = await forsendelseOf(
      v6.namespace,
      `<mottaker xmlns:xsi="${XSI}" xmlns:k="${v6.namespace}" xsi:type="k:organisasjon"><navn>Kommune AS</navn><orgnr>${ORGNR}</orgnr></mottaker>` +
        `<svarSendesTil xmlns:xsi="${XSI}" xmlns:o="urn:other" xsi:type="o:privatPerson"><navn>Saksbehandler</navn><fodselsnr>${FNR}</fodselsnr></svarSendesTil>` +
        '<dokumentType>Byggesøknad</dokumentType><tittel>T</tittel>',
    );
    const { input } = bindForsendelse(org, v6);
    assert.deepEqual(input.mottaker, {
      digitalAdresse: { type: 'organisasjon', orgnr: ORGNR },
      postAdresse: { navn: 'Kommune AS' },
    });
    assert.deepEqual(input.svarSendesTil?.digitalAdresse, { type: 'person', fnr: FNR });
    assert.equal(input.forsendelseType, 'Byggesøknad', "V6's forsendelse-level dokumentType is V7+'s forsendelseType");
  });

  it('V4: privatPerson without fodselsnr is a postal-only recipient', async () => {
    const v4 = version('ForsendelsesServiceV4');
    const el = await forsendelseOf(
      v4.namespace,
      `<mottaker xmlns:xsi="${XSI}" xmlns:t="${v4.namespace}" xsi:type="t:privatPerson"><navn>Ola</navn><postnr>3710</postnr><poststed>Skien</poststed></mottaker>`,
    );
    assert.deepEqual(bindForsendelse(el, v4).input.mottaker, {
      postAdresse: { navn: 'Ola', postnr: '3710', poststed: 'Skien' },
    });
  });

  it('V10: camelCase names, wrapped ids, utskriftsKonfigurasjon and Noark metadata', async () => {
    const v10 = version('ForsendelsesServiceV10');
    const el = await forsendelseOf(
      v10.namespace,
      versionForsendelse('V10', [{ data: '', filnavn: 'b.pdf' }], 'ns2', 'Camel') +
        `<svarPaForsendelse><id>2a1e0f5c-3b4d-4e6f-8a9b-0c1d2e3f4a5b</id></svarPaForsendelse>` +
        `<svarSendesTil><digitalAdresse xmlns:xsi="${XSI}" xmlns:ns2="${v10.namespace}" xsi:type="ns2:organisasjonDigitalAdresse">` +
        `<organisasjonsNummer><id>${ORGNR}</id></organisasjonsNummer></digitalAdresse></svarSendesTil>` +
        '<lenker><urlLenke>https://example.no</urlLenke><urlTekst>Les mer</urlTekst><ledeTekst>Se</ledeTekst></lenker>' +
        '<forsendelsesType>Byggesøknad</forsendelsesType><signaturType>AVANSERT_SIGNATUR</signaturType>' +
        '<eksponertFor><organisasjonsNummer><id>999999999</id></organisasjonsNummer></eksponertFor>',
    );
    const { input } = bindCamelForsendelse(el, { namespace: v10.namespace, v11: false });
    assert.deepEqual(input.mottaker, {
      digitalAdresse: { type: 'person', fnr: FNR },
      postAdresse: { navn: 'Kari Nordmann', adresse1: 'Storgata 1', postnr: '0155', poststed: 'Oslo' },
    });
    assert.equal(input.eksternref, 'fint-V10');
    assert.equal(input.konteringskode, 'FINT-1');
    assert.deepEqual(input.printkonfigurasjon, { tosidig: true, fargePrint: false });
    assert.deepEqual(input.metadataFraAvleverendeSystem, {
      sakssekvensnummer: 42,
      saksaar: 2020,
      journalaar: 0,
      journalsekvensnummer: 0,
      journalpostnummer: 0,
      tittel: 'Camel',
      ekstraMetadata: [],
    });
    assert.equal(input.svarPaForsendelse, '2a1e0f5c-3b4d-4e6f-8a9b-0c1d2e3f4a5b');
    assert.deepEqual(input.svarSendesTil, { digitalAdresse: { type: 'organisasjon', orgnr: ORGNR } });
    assert.deepEqual(input.lenker, [{ urlLenke: 'https://example.no', urlTekst: 'Les mer', ledetekst: 'Se' }]);
    assert.equal(input.forsendelseType, 'Byggesøknad');
    assert.equal(input.signaturtype, 'AVANSERT_SIGNATUR');
    assert.deepEqual(input.dokumenter[0], {
      filnavn: 'b.pdf',
      mimetype: 'application/pdf',
      ekskluderesFraPrint: false,
      skalSigneres: false,
      inneholderPersonsensitivInformasjon: false,
      giroarkSider: [],
      ekstraMetadata: [],
    });
    assert.deepEqual(input.eksponertFor, [], 'V10 has no eksponertFor');
  });

  it('V11: eksponertFor is a list of typed digital addresses', async () => {
    const v11 = version('ForsendelsesServiceV11');
    const el = await forsendelseOf(
      v11.namespace,
      versionForsendelse('V11', [], 'ns2', 'Eksponert') +
        `<eksponertFor xmlns:xsi="${XSI}" xmlns:ns2="${v11.namespace}" xsi:type="ns2:personDigitalAdresse"><fodselsNummer>${FNR}</fodselsNummer></eksponertFor>`,
    );
    assert.deepEqual(bindCamelForsendelse(el, { namespace: v11.namespace, v11: true }).input.eksponertFor, [
      { type: 'organisasjon', orgnr: ORGNR },
      { type: 'person', fnr: FNR },
    ]);
  });

  it('V11: an eksponertFor without its number is refused naming it, not dropped; a nil one is absent', async () => {
    const v11 = version('ForsendelsesServiceV11');
    const el = await forsendelseOf(
      v11.namespace,
      `<tittel>T</tittel><eksponertFor xmlns:xsi="${XSI}" xmlns:ns2="${v11.namespace}" xsi:type="ns2:personDigitalAdresse"><fodselsNummer></fodselsNummer></eksponertFor>` +
        `<eksponertFor xmlns:xsi="${XSI}" xsi:nil="true"/>`,
    );
    assert.throws(
      () => bindCamelForsendelse(el, { namespace: v11.namespace, v11: true }),
      (e: unknown) =>
        e instanceof ValidationError && e.problems.map((p) => p.field).join() === 'forsendelse.eksponertFor[0]',
    );
  });

  it('V11: an {id} wrapper holding both text and <id> is refused naming it (the <id> won, the text was dropped)', async () => {
    const v11 = version('ForsendelsesServiceV11');
    const el = await forsendelseOf(
      v11.namespace,
      `<tittel>T</tittel><mottaker><digitalAdresse xmlns:xsi="${XSI}" xmlns:ns2="${v11.namespace}" xsi:type="ns2:organisasjonDigitalAdresse">` +
        `<organisasjonsNummer>910076787<id>${ORGNR}</id></organisasjonsNummer></digitalAdresse></mottaker>`,
    );
    assert.throws(
      () => bindCamelForsendelse(el, { namespace: v11.namespace, v11: true }),
      (e: unknown) =>
        e instanceof ValidationError &&
        /organisasjonsNummer har både tekst og <id> \(fant «910076787»\)/.test(e.message),
    );
  });

  it('V11: text where a structure belongs is refused naming it (it was read as no digital address: paper)', async () => {
    const v11 = version('ForsendelsesServiceV11');
    const el = await forsendelseOf(
      v11.namespace,
      `<tittel>T</tittel><mottaker><digitalAdresse xmlns:xsi="${XSI}" xmlns:ns2="${v11.namespace}" xsi:type="ns2:personDigitalAdresse">${FNR}</digitalAdresse></mottaker>` +
        '<utskriftsKonfigurasjon>true</utskriftsKonfigurasjon>',
    );
    assert.throws(
      () => bindCamelForsendelse(el, { namespace: v11.namespace, v11: true }),
      (e: unknown) =>
        e instanceof ValidationError &&
        e.problems.map((p) => p.field).join() ===
          'forsendelse.mottaker.digitalAdresse,forsendelse.utskriftsKonfigurasjon',
    );
  });
});

describe('statuses per version through the door', () => {
  class StatusService extends RecordingService {
    current: ForsendelseStatus = 'MOTTATT';
    override async status(avsender: string, id: string): Promise<StatusView> {
      await super.status(avsender, id);
      return { id, status: this.current, sisteStatusEndring: FIXED_STATUS_TIME };
    }
  }
  const service = new StatusService();
  let server: RunningSoapServer;
  let id: string;
  before(async () => {
    server = await startSoapServer(service);
    id = await service.send('kommune', { tittel: 'T' } as never, []);
  });
  after(() => server.close());

  const ask = async (v: 'V4' | 'V9' | 'V11'): Promise<string> => {
    const ns = versionNamespace(v);
    const op =
      v === 'V11'
        ? `<ns2:retrieveForsendelsesStatus xmlns:ns2="${ns}"><forsendelsesId><id>${id}</id></forsendelsesId></ns2:retrieveForsendelsesStatus>`
        : `<ns2:retrieveForsendelseStatus xmlns:ns2="${ns}"><forsendelsesid>${id}</forsendelsesid></ns2:retrieveForsendelseStatus>`;
    const res = await post(
      `${server.baseUrl}/tjenester/forsendelseservice/ForsendelsesService${v}`,
      {
        contentType: 'application/soap+xml; charset=utf-8',
        headers: {},
        body: Buffer.from(`<soap:Envelope xmlns:soap="${SOAP12}"><soap:Body>${op}</soap:Body></soap:Envelope>`),
      },
      AUTH,
    );
    assert.equal(res.status, 200, res.text);
    const [ret] = nodeClientReturns(res.text);
    return v === 'V11' ? (/<status>(.*)<\/status>/.exec(ret ?? '')?.[1] ?? '') : (ret ?? '');
  };

  it('V4 shows the four statuses its enumeration lacks as the nearest it has; V9 and V11 show all 13', async () => {
    const v4Expected: Record<ForsendelseStatus, string> = {
      MOTTATT: 'MOTTATT',
      AKSEPTERT: 'AKSEPTERT',
      AVVIST: 'AVVIST',
      VARSLET: 'VARSLET',
      LEST: 'LEST',
      SENDT_PRINT: 'SENDT_PRINT',
      PRINTET: 'PRINTET',
      MANUELT_HANDTERT: 'MANUELT_HANDTERT',
      SENDT_DIGITALT: 'SENDT_DIGITALT',
      SENDT_SDP: 'SENDT_DIGITALT',
      LEVERT_SDP: 'SENDT_DIGITALT',
      KLAR_FOR_MOTTAK: 'SENDT_DIGITALT',
      IKKE_LEVERT: 'AVVIST',
    };
    for (const status of FORSENDELSE_STATUSES) {
      service.current = status;
      assert.equal(await ask('V4'), v4Expected[status], `V4 ${status}`);
      assert.equal(await ask('V9'), status, `V9 ${status}`);
      assert.equal(await ask('V11'), status, `V11 ${status}`);
    }
  });
});

describe('V10/V11 arguments found by shape (KS never published the parameter names)', () => {
  const service = new RecordingService();
  let server: RunningSoapServer;
  before(async () => {
    server = await startSoapServer(service);
  });
  after(() => server.close());

  const call = async (v: 'V10' | 'V11', op: string, inner: string) => {
    const ns = versionNamespace(v);
    return post(
      `${server.baseUrl}/tjenester/forsendelseservice/ForsendelsesService${v}`,
      {
        contentType: 'application/soap+xml; charset=utf-8',
        headers: {},
        body: Buffer.from(
          `<soap:Envelope xmlns:soap="${SOAP12}"><soap:Body><ns2:${op} xmlns:ns2="${ns}">${inner}</ns2:${op}></soap:Body></soap:Envelope>`,
        ),
      },
      AUTH,
    );
  };

  it('sendForsendelseMedId with JAX-WS default names (arg0 = forsendelse, arg1 = id) keeps the chosen id', async () => {
    const chosen = '5b0c7a2e-1d3f-4a5b-8c6d-7e8f9a0b1c2d';
    const res = await call(
      'V10',
      'sendForsendelseMedId',
      `<arg0>${versionForsendelse('V10', [], 'ns2', 'Uten navn')}</arg0><arg1><id>${chosen}</id></arg1>`,
    );
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(nodeClientReturns(res.text), [`<id>${chosen}</id>`]);
    const sent = service.sends.find((x) => x.id === chosen);
    assert.equal(sent?.input.tittel, 'Uten navn');
    assert.equal(sent?.input.eksternref, 'fint-V10');
  });

  it('sendForsendelseMedId without its id (zeep sends a plain string as <forsendelsesId/>) is refused naming it, not sent under a fresh id', async () => {
    const before = service.sends.length;
    for (const idArg of ['<forsendelsesId/>', '<forsendelsesId><id> </id></forsendelsesId>', '']) {
      const res = await call(
        'V11',
        'sendForsendelseMedId',
        `<forsendelse>${versionForsendelse('V11', [], 'ns2', 'Uten id')}</forsendelse>${idArg}`,
      );
      assert.equal(res.status, 500, res.text);
      assert.match(res.text, /Mangler forsendelses-id: sendForsendelseMedId må ha forsendelsesId/);
    }
    assert.equal(service.sends.length, before, 'nothing sent');
  });

  it("setForsendelseLestAvEksterntSystem reads LestAv's fields nested or straight in the wrapper", async () => {
    const id = service.sends[0]?.id ?? '';
    const fields = `<forsendelsesId><id>${id}</id></forsendelsesId><lestAvFodselsNummer>${FNR}</lestAvFodselsNummer><navnPaEksterntSystem>Arkiv</navnPaEksterntSystem>`;
    for (const inner of [`<lestAv>${fields}</lestAv>`, fields]) {
      const res = await call('V11', 'setForsendelseLestAvEksterntSystem', inner);
      assert.equal(res.status, 200, res.text);
    }
    assert.deepEqual(
      service.lest.map((l) => [l.id, l.lest.fnr, l.lest.systemnavn]),
      [
        [id, FNR, 'Arkiv'],
        [id, FNR, 'Arkiv'],
      ],
    );
  });

  it('a settLest without an id is refused naming the field', async () => {
    const res = await call(
      'V11',
      'setForsendelseLestAvEksterntSystem',
      `<lestAv><lestAvFodselsNummer>${FNR}</lestAvFodselsNummer></lestAv>`,
    );
    assert.equal(res.status, 500);
    assert.match(res.text, /lestAv\.forsendelsesId/);
  });
});
