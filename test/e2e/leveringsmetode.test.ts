/**
 * `leveringsmetode` (KS's V11 and REST v1 pages since May 2019; docs/interfaces.md §6a), sent as
 * a client generated from KS's live V11 WSDL sends it, and in REST v1's JSON, against a node
 * with a KRR file:
 * KUN_DIGITAL_UTEN_LEVERANSEGARANTI refuses at intake a letter to a person KRR cannot reach,
 * the MASSEUTSENDELSE variant accepts it and ends it undelivered (kunDigitalLevering), the
 * standard one prints it. Each document's ekstraMetadata and inneholderPersonsensitivInformasjon
 * are kept and answered by retrieveDokumentMetadata.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  eventually,
  FNR,
  letterPdf,
  restCall,
  restForsendelse,
  restSend,
  startTestNode,
  type Creds,
  type TestNode,
} from '../factories.js';

const NS = 'http://www.ks.no/svarut/servicesV11';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const REACHABLE = FNR[1];
const UNKNOWN = FNR[2];

/** A V11 sendForsendelse envelope as a client generated from KS's V11 WSDL writes it. */
function envelope(fnr: string, leveringsmetode: string, eksternReferanse: string, data: string): string {
  return (
    `<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><ns2:sendForsendelse xmlns:ns2="${NS}"><forsendelse>` +
    `<mottaker><postAdresse><navn>Kari Nordmann</navn><adresse1>Storgata 1</adresse1><postNummer>0155</postNummer><postSted>Oslo</postSted></postAdresse>` +
    `<digitalAdresse xmlns:xsi="${XSI}" xsi:type="ns2:personDigitalAdresse"><fodselsNummer>${fnr}</fodselsNummer></digitalAdresse></mottaker>` +
    `<avgivendeSystem>FINT</avgivendeSystem><tittel>Vedtak</tittel><leveringsmetode>${leveringsmetode}</leveringsmetode>` +
    `<kryptert>false</kryptert><krevNiva4Innlogging>false</krevNiva4Innlogging>` +
    `<dokumenter><filnavn>vedtak.pdf</filnavn><mimeType>application/pdf</mimeType><skalSigneres>false</skalSigneres>` +
    `<ekskluderesFraUtskrift>false</ekskluderesFraUtskrift><data>${data}</data>` +
    `<ekstraMetadata><key>arkivref</key><value>2026/42-1</value></ekstraMetadata>` +
    `<inneholderPersonsensitivInformasjon>true</inneholderPersonsensitivInformasjon></dokumenter>` +
    `<eksternReferanse>${eksternReferanse}</eksternReferanse><svarPaForsendelseLink>false</svarPaForsendelseLink>` +
    `</forsendelse></ns2:sendForsendelse></soap:Body></soap:Envelope>`
  );
}

describe('leveringsmetode e2e: SOAP V11 and REST v1', () => {
  let dir: string;
  let t: TestNode;
  let creds: Creds;
  let data: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-v11-'));
    const krr = {
      personer: [
        {
          personidentifikator: REACHABLE,
          reservasjon: 'NEI',
          status: 'AKTIV',
          kontaktinformasjon: { epostadresse: 'kari@example.no' },
        },
      ],
    };
    await writeFile(join(dir, 'krr.json'), JSON.stringify(krr));
    t = await startTestNode({ KRR_FILE: join(dir, 'krr.json'), PRINT_DIR: join(dir, 'print') }, join(dir, 'data'));
    creds = await t.sender('Leveringskommune');
    data = Buffer.from(await letterPdf()).toString('base64');
  });
  after(async () => {
    await t.stop();
    await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  const send = async (fnr: string, metode: string, ref: string): Promise<{ status: number; text: string }> => {
    const res = await fetch(`${t.url}/tjenester/forsendelseservice/ForsendelsesServiceV11`, {
      method: 'POST',
      headers: {
        'content-type': 'application/soap+xml; charset=utf-8',
        authorization: `Basic ${Buffer.from(`${creds.user}:${creds.password}`).toString('base64')}`,
      },
      body: envelope(fnr, metode, ref, data),
    });
    return { status: res.status, text: await res.text() };
  };
  const idOf = (text: string): string => /<return><id>([^<]+)<\/id><\/return>/.exec(text)?.[1] ?? '';
  const statusOf = async (id: string): Promise<string> => (await restCall(t.url, creds, `/${id}/status`)).body.status;

  it('KUN_DIGITAL_UTEN_LEVERANSEGARANTI refuses a person KRR does not know, naming leveringsmetode, and stores nothing', async () => {
    const res = await send(UNKNOWN, 'KUN_DIGITAL_UTEN_LEVERANSEGARANTI', 'v11-avvist');
    assert.equal(res.status, 500, res.text);
    assert.match(
      res.text,
      /Kan ikke leveres digitalt: Mottaker er ikke registrert i Kontakt- og reservasjonsregisteret/,
    );
    assert.match(res.text, /leveringsmetode/);
    const found = await restCall(t.url, creds, '/eksternref/v11-avvist');
    assert.deepEqual(found.body, { forsendelseIder: [] });
  });

  it('KUN_DIGITAL_UTEN_LEVERANSEGARANTI takes a person KRR reaches: sent digitally, never to print', async () => {
    const res = await send(REACHABLE, 'KUN_DIGITAL_UTEN_LEVERANSEGARANTI', 'v11-digital');
    assert.equal(res.status, 200, res.text);
    const id = idOf(res.text);
    await eventually(async () => ((await statusOf(id)) === 'SENDT_DIGITALT' ? true : undefined));
  });

  it('the MASSEUTSENDELSE variant accepts the unknown person and ends undelivered; the standard one prints', async () => {
    const masse = idOf((await send(UNKNOWN, 'KUN_DIGITAL_UTEN_LEVERANSEGARANTI_MASSEUTSENDELSE', 'v11-masse')).text);
    const standard = idOf((await send(UNKNOWN, 'STANDARD_SVARUT_LEVERANSE', 'v11-standard')).text);
    await eventually(async () => ((await statusOf(masse)) === 'IKKE_LEVERT' ? true : undefined));
    await eventually(async () => ((await statusOf(standard)) === 'SENDT_PRINT' ? true : undefined));
  });

  it('REST v1 reads leveringsmetode in place of kunDigitalLevering, with the same refusal at intake', async () => {
    const v1 = async (fnr: string, leveringsmetode: string, eksternReferanse: string) =>
      restSend(
        t.url,
        creds,
        restForsendelse({
          leveringsmetode,
          eksternReferanse,
          mottaker: {
            postAdresse: { navn: 'Kari Nordmann', adresse1: 'Storgata 1', postNummer: '0155', postSted: 'Oslo' },
            digitalAdresse: { fodselsNummer: fnr },
          },
        }),
        [{ filename: 'brev.pdf', bytes: await letterPdf() }],
      );
    const refused = await v1(UNKNOWN, 'KUN_DIGITAL_UTEN_LEVERANSEGARANTI', 'v1-avvist');
    assert.equal(refused.status, 400, JSON.stringify(refused.body));
    assert.match(String(refused.body.message), /^Kan ikke leveres digitalt: Mottaker er ikke registrert/);
    assert.deepEqual((await restCall(t.url, creds, '/eksternref/v1-avvist')).body, { forsendelseIder: [] });
    const masse = await v1(UNKNOWN, 'KUN_DIGITAL_UTEN_LEVERANSEGARANTI_MASSEUTSENDELSE', 'v1-masse');
    assert.equal(masse.status, 200, JSON.stringify(masse.body));
    await eventually(async () => ((await statusOf(String(masse.body.id))) === 'IKKE_LEVERT' ? true : undefined));
    const ukjent = await v1(REACHABLE, 'PAPIR', 'v1-ukjent');
    assert.equal(ukjent.status, 400);
    assert.match(
      String(ukjent.body.message),
      /Ugyldig leveringsmetode «PAPIR»: må være en av STANDARD_SVARUT_LEVERANSE/,
    );
  });

  it('an unknown leveringsmetode is refused naming the field and its values', async () => {
    const res = await send(REACHABLE, 'BARE_PAPIR', 'v11-ukjent');
    assert.equal(res.status, 500, res.text);
    assert.match(res.text, /Ugyldig verdi: leveringsmetode må være en av STANDARD_SVARUT_LEVERANSE, /);
  });

  it("keeps each document's ekstraMetadata and inneholderPersonsensitivInformasjon and answers them in V11's DokumentMetadata", async () => {
    const id = idOf((await send(REACHABLE, 'STANDARD_SVARUT_LEVERANSE', 'v11-metadata')).text);
    const res = await fetch(`${t.url}/tjenester/forsendelseservice/ForsendelsesServiceV11`, {
      method: 'POST',
      headers: {
        'content-type': 'application/soap+xml; charset=utf-8',
        authorization: `Basic ${Buffer.from(`${creds.user}:${creds.password}`).toString('base64')}`,
      },
      body:
        `<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><ns2:retrieveDokumentMetadata xmlns:ns2="${NS}">` +
        `<forsendelsesId><id>${id}</id></forsendelsesId></ns2:retrieveDokumentMetadata></soap:Body></soap:Envelope>`,
    });
    const text = await res.text();
    assert.equal(res.status, 200, text);
    assert.match(
      text,
      /<ekstraMetadata><key>arkivref<\/key><value>2026\/42-1<\/value><\/ekstraMetadata><inneholderPersonsensitivInformasjon>true<\/inneholderPersonsensitivInformasjon>/,
    );
    const v1 = await restCall(t.url, creds, `/${id}/dokumentMetadata`);
    assert.equal(v1.body.dokumentMetadata[0]?.inneholderPersonsensitivInformasjon, true, JSON.stringify(v1.body));
  });
});
