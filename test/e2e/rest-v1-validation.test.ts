/**
 * REST v1 send: every validation rule (docs/interfaces.md §8) answers HTTP 400 with a Norwegian
 * message naming the field, and a refused send leaves nothing behind.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { ForsendelseEvent } from '../../src/domain/events.js';
import {
  basic,
  FNR,
  letterPdf,
  ORGNR,
  restCall,
  restForsendelse,
  restSend,
  restSendRaw,
  startTestNode,
  type Creds,
  type TestFile,
  type TestNode,
} from '../factories.js';
import { makeEncryptedPdf, makeNotPdf } from '../fixtures/index.js';
import { findFnr } from '../unit/domain-validation/numbers.js';

const SEND = '/tjenester/api/forsendelse/v1/sendForsendelse';
const POST = { navn: 'Kari Nordmann', adresse1: 'Storgata 1', postNummer: '0155', postSted: 'Oslo' };
/** A valid d-nummer (day + 40) and the same with a wrong control digit. */
const DNR = findFnr('410190', 0);
const breakLast = (n: string): string => n.slice(0, -1) + String((Number(n.at(-1)) + 1) % 10);

describe('REST v1 validation: each rule gives 400 naming the field', () => {
  let t: TestNode;
  /** Sends that must be refused go as this avsender only, so "nothing stored" can be checked. */
  let refusedAs: Creds;
  let acceptedAs: Creds;
  let pdf: Uint8Array;
  const refusedRefs: string[] = [];

  before(async () => {
    t = await startTestNode({ ACTOR_IDLE_MS: '1000' });
    refusedAs = await t.sender('Avvist kommune');
    acceptedAs = await t.sender('Godkjent kommune');
    pdf = await letterPdf();
  });
  after(() => t.stop());

  const brev = (): TestFile[] => [{ filename: 'brev.pdf', bytes: pdf }];

  /** Sends `json` (with a unique eksternReferanse) and expects 400 VALIDERINGSFEIL whose message matches each pattern. */
  async function refused(
    json: Record<string, unknown>,
    files: readonly TestFile[],
    ...patterns: RegExp[]
  ): Promise<string> {
    const ref = `avvist-${refusedRefs.length}`;
    refusedRefs.push(ref);
    const r = await restSend(t.url, refusedAs, { ...json, eksternReferanse: ref }, files);
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.equal(r.body.errorcode, 'VALIDERINGSFEIL');
    const message = String(r.body.message);
    for (const p of patterns) assert.match(message, p);
    return message;
  }

  /** Sends `json` as the other avsender and expects an id: the rule under test does not refuse valid input. */
  async function accepted(json: Record<string, unknown>, files: readonly TestFile[] = brev()): Promise<void> {
    const r = await restSend(t.url, acceptedAs, json, files);
    assert.equal(r.status, 200, JSON.stringify(r.body));
  }

  describe('recipient', () => {
    it('a fødselsnummer with a wrong control digit: "Ugyldig fødselsnummer", without echoing the number', async () => {
      const bad = breakLast(FNR[0]);
      const message = await refused(
        restForsendelse({ mottaker: { postAdresse: POST, digitalAdresse: { fodselsNummer: bad } } }),
        brev(),
        /^Ugyldig fødselsnummer: mottaker\.digitalAdresse\.fodselsNummer /,
      );
      assert.ok(!message.includes(bad), 'a fødselsnummer is personal data and stays out of messages');
    });

    it('a d-nummer: valid accepted, wrong control digit refused', async () => {
      await accepted(restForsendelse({ mottaker: { postAdresse: POST, digitalAdresse: { fodselsNummer: DNR } } }));
      await refused(
        restForsendelse({ mottaker: { postAdresse: POST, digitalAdresse: { fodselsNummer: breakLast(DNR) } } }),
        brev(),
        /^Ugyldig fødselsnummer: mottaker\.digitalAdresse\.fodselsNummer /,
      );
    });

    it('a fødselsnummer of the wrong length', async () => {
      await refused(
        restForsendelse({ mottaker: { postAdresse: POST, digitalAdresse: { fodselsNummer: '0101900008' } } }),
        brev(),
        /Ugyldig fødselsnummer: mottaker\.digitalAdresse\.fodselsNummer må være 11 siffer/,
      );
    });

    it('an organisasjonsnummer with a wrong control digit', async () => {
      await accepted(
        restForsendelse({ mottaker: { postAdresse: POST, digitalAdresse: { organisasjonsNummer: ORGNR } } }),
      );
      await refused(
        restForsendelse({ mottaker: { postAdresse: POST, digitalAdresse: { organisasjonsNummer: breakLast(ORGNR) } } }),
        brev(),
        /^Ugyldig organisasjonsnummer: mottaker\.digitalAdresse\.organisasjonsNummer må være 9 siffer/,
      );
    });

    it('mottaker missing', async () => {
      await refused(restForsendelse({ mottaker: undefined }), brev(), /^Mangler mottaker: mottaker må fylles ut$/);
      await refused(restForsendelse({ mottaker: null }), brev(), /^Mangler mottaker: mottaker må fylles ut$/);
    });

    it('postal address without navn, postnr or poststed — each named', async () => {
      const without = (key: string) =>
        restForsendelse({
          mottaker: { postAdresse: { ...POST, [key]: undefined }, digitalAdresse: { fodselsNummer: FNR[0] } },
        });
      await refused(without('navn'), brev(), /^Mangler navn: mottaker\.postAdresse\.navn må fylles ut$/);
      await refused(
        without('postNummer'),
        brev(),
        /^Mangler postnummer: mottaker\.postAdresse\.postNummer må fylles ut når forsendelsen kan sendes på papir$/,
      );
      await refused(without('postSted'), brev(), /^Mangler poststed: mottaker\.postAdresse\.postSted må fylles ut/);
      await refused(
        restForsendelse({ mottaker: { digitalAdresse: { fodselsNummer: FNR[0] } } }),
        brev(),
        /^Mangler postadresse: mottaker\.postAdresse /,
      );
      await refused(
        restForsendelse({
          mottaker: { postAdresse: { ...POST, postNummer: '155' }, digitalAdresse: { fodselsNummer: FNR[0] } },
        }),
        brev(),
        /^Ugyldig postnummer: mottaker\.postAdresse\.postNummer må være 4 siffer for norske adresser \(fikk «155»\)$/,
      );
    });

    it('a line break inside a printed address field, named (review of 7 December 2026)', async () => {
      const withBreak = (key: string, value: string) =>
        restForsendelse({
          mottaker: { postAdresse: { ...POST, [key]: value }, digitalAdresse: { fodselsNummer: FNR[0] } },
        });
      await refused(
        withBreak('navn', 'Kari Nordmann\nc/o Per Hansen'),
        brev(),
        /^Ugyldig adresse: mottaker\.postAdresse\.navn inneholder et linjeskift, som ikke er tillatt: hvert adressefelt er én linje/,
      );
      await refused(
        withBreak('adresse1', 'Storgata 1\r\nEkstra linje'),
        brev(),
        /^Ugyldig adresse: mottaker\.postAdresse\.adresse1 inneholder et linjeskift/,
      );
      // In the door's own words: REST v1's JSON key is postSted.
      await refused(
        withBreak('postSted', 'Oslo\nSentrum'),
        brev(),
        /^Ugyldig adresse: mottaker\.postAdresse\.postSted /,
      );
    });

    it('kunDigitalLevering needs only navn of the postal address; a foreign address needs no postnr', async () => {
      await accepted(
        restForsendelse({
          kunDigitalLevering: true,
          mottaker: { postAdresse: { navn: 'Kari Nordmann' }, digitalAdresse: { fodselsNummer: FNR[0] } },
        }),
      );
      await refused(
        restForsendelse({
          kunDigitalLevering: true,
          mottaker: { postAdresse: { navn: ' ' }, digitalAdresse: { fodselsNummer: FNR[0] } },
        }),
        brev(),
        /^Mangler navn: mottaker\.postAdresse\.navn må fylles ut$/,
      );
      await accepted(
        restForsendelse({
          mottaker: {
            postAdresse: { navn: 'Sven Svensson', adresse1: 'Storgatan 1', postSted: 'Göteborg', land: 'Sverige' },
          },
        }),
      );
    });

    it('kunDigitalLevering without fødselsnummer or organisasjonsnummer', async () => {
      await refused(
        restForsendelse({ kunDigitalLevering: true, mottaker: { postAdresse: POST } }),
        brev(),
        /^Mangler digital adresse: mottaker\.digitalAdresse må ha fødselsnummer eller organisasjonsnummer når kunDigitalLevering er satt$/,
      );
    });
  });

  describe('fields', () => {
    it('tittel missing or blank', async () => {
      await refused(restForsendelse({ tittel: undefined }), brev(), /^Mangler tittel: tittel må fylles ut$/);
      await refused(restForsendelse({ tittel: '   ' }), brev(), /^Mangler tittel: tittel må fylles ut$/);
    });

    it('konteringskode outside [a-zA-Z0-9-.æøå]{0,20}', async () => {
      await accepted(restForsendelse({ konteringsKode: 'Bygg-2027.ÆØÅ' }));
      await refused(
        restForsendelse({ konteringsKode: 'BYGG 2027!' }),
        brev(),
        /^Ugyldig konteringskode: konteringsKode kan ha høyst 20 tegn.*\(fikk «BYGG 2027!»\)$/,
      );
      await refused(
        restForsendelse({ konteringsKode: 'x'.repeat(21) }),
        brev(),
        /^Ugyldig konteringskode: konteringsKode /,
      );
    });

    it('krevNiva4Innlogging without kryptert', async () => {
      await refused(
        restForsendelse({ krevNiva4Innlogging: true }),
        brev(),
        /^Mangler kryptering: kryptert må være true når krevNiva4Innlogging er satt$/,
      );
    });

    it('a lenke with a bad URL or without text', async () => {
      await accepted(restForsendelse({ lenker: [{ urlLenke: 'https://kommune.no/sak/1', urlTekst: 'Se saken' }] }));
      for (const url of ['javascript:alert(1)', 'kommune.no/sak', 'https://kommune.no/a b']) {
        await refused(
          restForsendelse({ lenker: [{ urlLenke: url, urlTekst: 'Se saken' }] }),
          brev(),
          /^Ugyldig lenke: lenker\[0\]\.urlLenke må være en gyldig http-, https- eller ftp-adresse/,
        );
      }
      await refused(
        restForsendelse({ lenker: [{ urlLenke: 'https://kommune.no' }] }),
        brev(),
        /^Mangler lenketekst: lenker\[0\]\.urlTekst må fylles ut$/,
      );
    });

    it('a date outside what a date can be (epoch millis beyond ±8.64e15)', async () => {
      const signing = (signeringUtloper: unknown) =>
        restForsendelse({
          signeringUtloper,
          signaturType: 'AVANSERT_SIGNATUR',
          dokumenter: [{ filnavn: 'brev.pdf', mimeType: 'application/pdf', skalSigneres: true }],
          svarSendesTil: {
            postAdresse: { navn: 'Kommunen', postNummer: '0155', postSted: 'Oslo' },
            digitalAdresse: { organisasjonsNummer: ORGNR },
          },
        });
      for (const value of [-1e20, 1e20]) {
        await refused(signing(value), brev(), /^Ugyldig dato i signeringUtloper: forventet millisekunder siden 1970$/);
        await refused(
          restForsendelse({ metadataFraAvleverendeSystem: { journalDato: value } }),
          brev(),
          /^Ugyldig dato i metadataFraAvleverendeSystem\.journalDato: /,
        );
      }
    });

    it('a value of the wrong JSON type names its path', async () => {
      await refused(restForsendelse({ mottaker: 'Kari' }), brev(), /^Ugyldig verdi i mottaker: forventet et objekt$/);
      await refused(
        restForsendelse({ kunDigitalLevering: 'ja' }),
        brev(),
        /^Ugyldig verdi i kunDigitalLevering: forventet true eller false$/,
      );
      await refused(
        restForsendelse({ kunDigitalLevering: 0.5 }),
        brev(),
        /^Ugyldig verdi i kunDigitalLevering: forventet true eller false$/,
      );
    });

    it('takes 0 and 1 for a boolean, as Jackson does', async () => {
      await accepted(restForsendelse({ kunDigitalLevering: 0, kryptert: 0, krevNiva4Innlogging: 0 }));
      await refused(restForsendelse({ krevNiva4Innlogging: 1, kryptert: 0 }), brev(), /Mangler kryptering: kryptert/);
    });

    it('several broken rules are all named in one answer', async () => {
      const message = await refused(
        restForsendelse({ tittel: '', konteringsKode: '!!', krevNiva4Innlogging: true }),
        brev(),
        /Mangler tittel: tittel/,
        /Ugyldig konteringskode: konteringsKode/,
        /Mangler kryptering: kryptert/,
      );
      assert.equal(message.split('; ').length, 3);
    });
  });

  describe('documents', () => {
    it('a filnavn longer than 226 characters (226 is fine)', async () => {
      const ok = `${'a'.repeat(222)}.pdf`;
      await accepted(restForsendelse({ dokumenter: [{ filnavn: ok, mimeType: 'application/pdf' }] }), [
        { filename: ok, bytes: pdf },
      ]);
      const long = `${'a'.repeat(223)}.pdf`;
      await refused(
        restForsendelse({ dokumenter: [{ filnavn: long, mimeType: 'application/pdf' }] }),
        [{ filename: long, bytes: pdf }],
        /^For langt filnavn: dokumenter\[0\]\.filnavn kan ha høyst 226 tegn \(har 227\)$/,
      );
    });

    it('a filnavn with each of < > ? * | :', async () => {
      for (const ch of ['<', '>', '?', '*', '|', ':']) {
        const filnavn = `vedtak${ch}1.pdf`;
        await refused(
          restForsendelse({ dokumenter: [{ filnavn, mimeType: 'application/pdf' }] }),
          [{ filename: filnavn, bytes: pdf }],
          new RegExp(
            `^Ugyldig filnavn: dokumenter\\[0\\]\\.filnavn kan ikke inneholde mappe .*\\(fikk «vedtak\\${ch}1\\.pdf»\\)$`,
          ),
        );
      }
    });

    // BUG (reported): for / and \ busboy strips the "path" from the part's filename, and
    // FormData sends " as %22, so the file never matches its dokument and the caller
    // reads "Mangler fil …" instead of the rule it broke.
    it('a filnavn with " \\ or / is refused as "Ugyldig filnavn"', async () => {
      for (const ch of ['"', '\\', '/']) {
        const filnavn = `vedtak${ch}1.pdf`;
        await refused(
          restForsendelse({ dokumenter: [{ filnavn, mimeType: 'application/pdf' }] }),
          [{ filename: filnavn, bytes: pdf }],
          /^Ugyldig filnavn: dokumenter\[0\]\.filnavn/,
        );
      }
    });

    it('the same filnavn twice, ignoring case', async () => {
      await refused(
        restForsendelse({
          dokumenter: [
            { filnavn: 'brev.pdf', mimeType: 'application/pdf' },
            { filnavn: 'BREV.pdf', mimeType: 'application/pdf' },
          ],
        }),
        [
          { filename: 'brev.pdf', bytes: pdf },
          { filename: 'BREV.pdf', bytes: pdf },
        ],
        /^Filnavn ikke unikt: dokumenter\[1\]\.filnavn «BREV\.pdf» er allerede brukt av dokumenter\[0\] \(store og små bokstaver regnes som like\)$/,
      );
    });

    it('no dokumenter at all', async () => {
      await refused(
        restForsendelse({ dokumenter: [] }),
        [],
        /^Mangler dokumenter: dokumenter må inneholde minst ett dokument$/,
      );
    });

    it('a non-PDF mimetype for a document that may be printed (not when excluded or digital-only)', async () => {
      const xml = [{ filename: 'data.xml', bytes: new TextEncoder().encode('<a/>') }];
      await refused(
        restForsendelse({ dokumenter: [{ filnavn: 'data.xml', mimeType: 'application/xml' }] }),
        xml,
        /^Ugyldig mimetype: dokumenter\[0\]\.mimeType må være application\/pdf .*\(fikk «application\/xml»\)/,
      );
      await refused(
        restForsendelse({ dokumenter: [{ filnavn: 'data.xml' }] }),
        xml,
        /^Mangler mimetype: dokumenter\[0\]\.mimeType må fylles ut$/,
      );
      await accepted(
        restForsendelse({
          dokumenter: [
            { filnavn: 'brev.pdf', mimeType: 'application/pdf' },
            { filnavn: 'data.xml', mimeType: 'application/xml', ekskluderesFraUtskrift: true },
          ],
        }),
        [...brev(), ...xml],
      );
      await accepted(
        restForsendelse({
          kunDigitalLevering: true,
          dokumenter: [{ filnavn: 'data.xml', mimeType: 'application/xml' }],
        }),
        xml,
      );
    });

    it('a file declared PDF that is not one', async () => {
      await refused(
        restForsendelse(),
        [{ filename: 'brev.pdf', bytes: makeNotPdf() }],
        /^Ugyldig innhold i brev\.pdf: ikke en lesbar PDF$/,
      );
    });

    it('a broken document is named in the same answer as a broken field', async () => {
      const message = await refused(
        restForsendelse({ tittel: '' }),
        [{ filename: 'brev.pdf', bytes: makeNotPdf() }],
        /Mangler tittel: tittel/,
        /Ugyldig innhold i brev\.pdf: ikke en lesbar PDF/,
      );
      assert.equal(message.split('; ').length, 2);
    });

    it('an encrypted PDF', async () => {
      await refused(
        restForsendelse(),
        [{ filename: 'brev.pdf', bytes: makeEncryptedPdf() }],
        /^Ugyldig innhold i brev\.pdf: dokumentet er kryptert\/passordbeskyttet$/,
      );
    });

    // BUG (reported): the PDF check and the merge compare the mimetype with
    // `=== 'application/pdf'`, while the rules accept parameters (isPdfMimetype); such a
    // document is neither checked nor put in the forsendelsesfil.
    it('a non-PDF declared "application/pdf; charset=binary" is refused too', async () => {
      // As its own avsender: while the bug lasts this send is accepted, and must not spoil the "nothing stored" check.
      const as = await t.sender('Parameter kommune');
      const json = restForsendelse({
        dokumenter: [{ filnavn: 'brev.pdf', mimeType: 'application/pdf; charset=binary' }],
      });
      const r = await restSend(t.url, as, json, [{ filename: 'brev.pdf', bytes: makeNotPdf() }]);
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.match(String(r.body.message), /^Ugyldig innhold i brev\.pdf/);
    });

    it('an empty document: "Kan ikke lagre tomt dokument"', async () => {
      await refused(
        restForsendelse(),
        [{ filename: 'brev.pdf', bytes: new Uint8Array(0) }],
        /^Kan ikke lagre tomt dokument: dokumenter\[0\]\.data «brev\.pdf» er tomt$/,
      );
    });

    it('a dokument without its file, and a file no dokument describes', async () => {
      await refused(
        restForsendelse({
          dokumenter: [
            { filnavn: 'brev.pdf', mimeType: 'application/pdf' },
            { filnavn: 'vedlegg.pdf', mimeType: 'application/pdf' },
          ],
        }),
        brev(),
        /^Mangler fil for dokumenter\[1\]: ingen del med filename 'vedlegg\.pdf'$/,
      );
      await refused(
        restForsendelse(),
        [...brev(), { filename: 'ekstra.pdf', bytes: pdf }],
        /^Filen 'ekstra\.pdf' er ikke beskrevet i dokumenter$/,
      );
    });
  });

  describe('the list of documents', () => {
    it('more than 100 documents is named as such, not as 10 000 missing files', async () => {
      const dokumenter = Array.from({ length: 10_000 }, (_, i) => ({
        filnavn: `d${i}.pdf`,
        mimeType: 'application/pdf',
      }));
      await refused(
        restForsendelse({ dokumenter }),
        brev(),
        /^For mange elementer: dokumenter kan ha høyst 100 \(har 10000\)$/,
      );
    });

    it('a null entry is named, not dropped (which would shift every later index)', async () => {
      await refused(
        restForsendelse({ dokumenter: [null, { filnavn: 'brev.pdf', mimeType: 'application/pdf' }] }),
        brev(),
        /^Ugyldig verdi i dokumenter\[0\]: forventet et objekt, ikke null$/,
      );
    });
  });

  describe('the request itself', () => {
    it('malformed JSON in the forsendelse part', async () => {
      const form = new FormData();
      form.append('forsendelse', new Blob(['{"tittel": "x",'], { type: 'application/json' }));
      form.append('filer', new Blob([new Uint8Array(pdf)]), 'brev.pdf');
      const res = await fetch(`${t.url}${SEND}`, {
        method: 'POST',
        headers: { authorization: basic(refusedAs) },
        body: form,
      });
      assert.equal(res.status, 400);
      const body = (await res.json()) as { errorcode: string; message: string };
      assert.equal(body.errorcode, 'VALIDERINGSFEIL');
      assert.match(body.message, /^Ugyldig JSON i delen "forsendelse": /);
    });

    it('a forsendelse part of null or no object is named, not read as a letter whose files no dokument describes (found in review)', async () => {
      for (const json of [null, [], 'brev']) {
        const r = await restSend(t.url, refusedAs, json, brev());
        assert.equal(r.status, 400, JSON.stringify(r.body));
        assert.deepEqual(r.body, {
          errorcode: 'VALIDERINGSFEIL',
          message: 'Ugyldig verdi i forsendelse: forventet et objekt',
        });
      }
    });

    it('a key the forsendelse JSON names twice is refused, naming it; JSON.parse would keep the last', async () => {
      const ref = `avvist-${refusedRefs.length}`;
      refusedRefs.push(ref);
      const json = JSON.stringify(restForsendelse({ eksternReferanse: ref }));
      const res = await restSendRaw(
        t.url,
        refusedAs,
        'Content-Disposition: form-data; name="forsendelse"\r\nContent-Type: application/json',
        Buffer.from(`{"tittel":"Første tittel",${json.slice(1)}`),
        pdf,
      );
      assert.equal(res.status, 400);
      assert.deepEqual(res.body, {
        errorcode: 'VALIDERINGSFEIL',
        message: 'Ugyldig JSON i delen "forsendelse": feltet «tittel» forekommer mer enn én gang i samme objekt',
      });
    });

    it('settLest with a key named twice is refused and records no read', async () => {
      const sent = await restSend(t.url, acceptedAs, restForsendelse(), brev());
      assert.equal(sent.status, 200);
      const id = String(sent.body.id);
      const res = await fetch(`${t.url}/tjenester/api/forsendelse/v1/${id}/settLest`, {
        method: 'POST',
        headers: { authorization: basic(acceptedAs), 'content-type': 'application/json' },
        body: '{"lestAvFodselsNummer":"x","navnPaEksterntSystem":"Arkiv","lestAvFodselsNummer":"01019000083"}',
      });
      assert.equal(res.status, 400);
      assert.match(
        ((await res.json()) as { message: string }).message,
        /^Ugyldig JSON: feltet «lestAvFodselsNummer» forekommer mer enn én gang i samme objekt$/,
      );
      const historikk = await restCall(t.url, acceptedAs, `/${id}/historikk`);
      assert.equal(historikk.status, 200);
      assert.doesNotMatch(JSON.stringify(historikk.body), /Arkiv/);
    });

    it('a file sent twice is named as sent twice; a file part without filename says so', async () => {
      await refused(
        restForsendelse(),
        [...brev(), ...brev()],
        /^Filen 'brev\.pdf' er sendt flere ganger enn dokumenter beskriver den \(1\)$/,
      );
      const ref = `avvist-${refusedRefs.length}`;
      refusedRefs.push(ref);
      // KS's own example names the part after the file; without filename it is a text part.
      const boundary = 'utenfilnavn';
      const body = Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="forsendelse"\r\n\r\n` +
            `${JSON.stringify(restForsendelse({ eksternReferanse: ref }))}\r\n` +
            `--${boundary}\r\nContent-Disposition: form-data; name="brev.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
        ),
        Buffer.from(pdf),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const res = await fetch(`${t.url}${SEND}`, {
        method: 'POST',
        headers: { authorization: basic(refusedAs), 'content-type': `multipart/form-data; boundary=${boundary}` },
        body,
      });
      assert.equal(res.status, 400);
      assert.match(
        ((await res.json()) as { message: string }).message,
        /^Delen «brev\.pdf» er ikke gyldig UTF-8 .*; delen har ingen filename, så den ble lest som tekst: en fil må ha filename i Content-Disposition$/,
      );
    });

    it('no forsendelse part', async () => {
      const form = new FormData();
      form.append('filer', new Blob([new Uint8Array(pdf)]), 'brev.pdf');
      const res = await fetch(`${t.url}${SEND}`, {
        method: 'POST',
        headers: { authorization: basic(refusedAs) },
        body: form,
      });
      assert.equal(res.status, 400);
      assert.match(((await res.json()) as { message: string }).message, /^Mangler delen "forsendelse"/);
    });

    it('a body that is not multipart/form-data', async () => {
      const res = await fetch(`${t.url}${SEND}`, {
        method: 'POST',
        headers: { authorization: basic(refusedAs), 'content-type': 'application/json' },
        body: JSON.stringify(restForsendelse({ eksternReferanse: 'avvist-json' })),
      });
      refusedRefs.push('avvist-json');
      assert.equal(res.status, 400);
      assert.deepEqual(await res.json(), {
        errorcode: 'UGYLDIG_FORESPORSEL',
        message: 'Forventet multipart/form-data med delen "forsendelse" og filene',
      });
    });

    it('a multipart body without a boundary', async () => {
      const res = await fetch(`${t.url}${SEND}`, {
        method: 'POST',
        headers: { authorization: basic(refusedAs), 'content-type': 'multipart/form-data' },
        body: 'garbage',
      });
      assert.equal(res.status, 400);
      assert.equal(
        ((await res.json()) as { message: string }).message,
        'Ugyldig multipart-forespørsel: Content-Type mangler boundary-parameteret',
      );
    });
  });

  describe('a refused send leaves nothing behind', () => {
    it('no id by eksternref, nothing in the read model or the journal for the refused avsender', async () => {
      assert.ok(refusedRefs.length >= 30, `${refusedRefs.length} refused sends ran before this check`);
      for (const ref of refusedRefs) {
        const r = await restCall(t.url, refusedAs, `/eksternref/${ref}`);
        assert.deepEqual(r, { status: 200, body: { forsendelseIder: [] } }, ref);
      }
      const page = await t.node.storage.readModel.search({ avsendere: ['Avvist kommune'], limit: 10, offset: 0 });
      assert.equal(page.total, 0);
      const others = await t.node.storage.readModel.search({ avsendere: ['Godkjent kommune'], limit: 100, offset: 0 });
      assert.ok(others.total >= 8, 'the accepted sends are there, so the search itself works');
      const keys = await t.node.storage.journal.keysAppendedSince(0);
      assert.ok(keys.length >= others.total);
      for (const key of keys) {
        const [first] = await t.node.storage.journal.read(key, 0);
        assert.notEqual(
          (first?.data as unknown as ForsendelseEvent & { avsender: string }).avsender,
          'Avvist kommune',
          key,
        );
      }
    });

    // The multipart parser stores each file part in the blob store as it streams in, under
    // the request's lease; a refused send releases the lease and its documents, held by
    // nothing else, are deleted before the 400 goes out.
    it('the documents of a refused send are not kept in the blob store', async () => {
      const unique = new TextEncoder().encode(`not a pdf ${Date.now()} ${Math.random()}`);
      await refused(restForsendelse(), [{ filename: 'brev.pdf', bytes: unique }], /Ugyldig innhold/);
      const sha = createHash('sha256').update(unique).digest('hex');
      assert.equal(await t.node.storage.blobs.size(sha), undefined);
    });
  });
});
