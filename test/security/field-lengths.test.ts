/**
 * No field without a length rule (issue #13, item 3): an 8 000-character recipient name was
 * acknowledged and then held the PDF thread; a mimeType with CR/LF was acknowledged and then
 * broke every download. Each family of fields is refused at intake over REST v1 (400,
 * VALIDERINGSFEIL, the field named as the caller wrote it), and the node stays sound.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ACCEPTED_OR_LATER, basic, letterPdf, restForsendelse, restSend, waitForStatus } from '../factories.js';
import { nodeSendForsendelse } from '../fixtures/soap/index.js';
import { faultstring, post } from '../unit/soap/support/post.js';
import { assertRefusal, assertStillSound, startHostileNode, type HostileNode } from './support.js';

const POST = { navn: 'Kari Nordmann', adresse1: 'Storgata 1', postNummer: '0155', postSted: 'Oslo' };

describe('field lengths and counts at intake', () => {
  let h: HostileNode;
  let pdf: Uint8Array;
  before(async () => {
    h = await startHostileNode();
    pdf = await letterPdf();
  });
  after(() => h.t.stop());

  /** Sends the REST v1 letter `json` with one file per declared document (the letter PDF, under its declared name). */
  async function send(json: Record<string, unknown>): Promise<{ status: number; text: string; id?: string }> {
    const declared = json.dokumenter as Array<{ filnavn: string }>;
    const parts = declared.map((d) => ({ filename: d.filnavn, bytes: pdf }));
    const res = await restSend(h.t.url, h.creds, json, parts);
    return {
      status: res.status,
      text: JSON.stringify(res.body),
      id: typeof res.body.id === 'string' ? res.body.id : undefined,
    };
  }

  async function refused(json: Record<string, unknown>, field: string, message: RegExp): Promise<void> {
    const res = await send(json);
    assertRefusal(res, 400, message, field);
    assert.match(res.text, /VALIDERINGSFEIL/);
    assert.equal(res.id, undefined, 'no id for a refused letter');
    await assertStillSound(h);
  }

  it('refuses a recipient name of 8 000 characters (was acknowledged and stuck in MOTTATT)', async () => {
    const json = restForsendelse({ mottaker: { postAdresse: { ...POST, navn: 'K'.repeat(8_000) } } });
    await refused(
      json,
      'mottaker.postAdresse.navn',
      /For lang tekst: mottaker\.postAdresse\.navn kan ha høyst 200 tegn \(har 8000\)/,
    );
  });

  it('refuses address lines, postcode, place and country over their limits, naming each in REST v1 terms', async () => {
    const json = restForsendelse({
      mottaker: {
        postAdresse: {
          navn: 'Kari',
          adresse1: 'a'.repeat(71),
          adresse3: 'c'.repeat(500),
          postNummer: '0155',
          postSted: 'O'.repeat(71),
          land: 'L'.repeat(71),
        },
      },
      svarSendesTil: {
        postAdresse: {
          navn: 'Kommunen',
          adresse2: 'b'.repeat(71),
          postNummer: '1'.repeat(21),
          postSted: 'Oslo',
          land: 'Sverige',
        },
      },
    });
    const res = await send(json);
    for (const field of [
      'mottaker.postAdresse.adresse1',
      'mottaker.postAdresse.adresse3',
      'mottaker.postAdresse.postSted',
      'mottaker.postAdresse.land',
      'svarSendesTil.postAdresse.adresse2',
      'svarSendesTil.postAdresse.postNummer',
    ]) {
      assertRefusal(res, 400, new RegExp(`For lang tekst: ${field.replace(/[.[\]]/g, '\\$&')} kan ha høyst`), field);
    }
    await assertStillSound(h);
  });

  it('refuses avgivendeSystem, eksternReferanse and forsendelsesType over 100 characters (docs/interfaces.md §8)', async () => {
    const json = restForsendelse({
      avgivendeSystem: 's'.repeat(101),
      eksternReferanse: 'r'.repeat(101),
      forsendelsesType: 't'.repeat(101),
    });
    const res = await send(json);
    for (const field of ['avgivendeSystem', 'eksternReferanse', 'forsendelsesType']) {
      assertRefusal(res, 400, new RegExp(`For lang tekst: ${field} kan ha høyst 100 tegn \\(har 101\\)`), field);
    }
    await assertStillSound(h);
  });

  it('refuses a title over 1 000 characters and a file name over 226', async () => {
    const json = restForsendelse({
      tittel: 'T'.repeat(1_001),
      dokumenter: [{ filnavn: `${'f'.repeat(223)}.pdf`, mimeType: 'application/pdf' }],
    });
    const res = await send(json);
    assertRefusal(res, 400, /For lang tittel: tittel kan ha høyst 1000 tegn \(har 1001\)/, 'tittel');
    assertRefusal(
      res,
      400,
      /For langt filnavn: dokumenter\[0\]\.filnavn kan ha høyst 226 tegn \(har 227\)/,
      'dokumenter[0].filnavn',
    );
    await assertStillSound(h);
  });

  it('refuses a mimeType with CR/LF (was acknowledged, then every download answered 500)', async () => {
    const json = restForsendelse({
      kunDigitalLevering: true,
      dokumenter: [{ filnavn: 'brev.txt', mimeType: 'text/plain\r\nX-Injisert: ja' }],
    });
    await refused(
      json,
      'dokumenter[0].mimeType',
      /Ugyldig mimetype: dokumenter\[0\]\.mimeType må være en medietype som type\/undertype, uten kontrolltegn/,
    );
  });

  it('refuses a title and a system name that are not well-formed Unicode (a lone surrogate once made every download fail)', async () => {
    const json = restForsendelse({ tittel: 'Brev \ud800', avgivendeSystem: 'Fag\udc00system' });
    await refused(json, 'tittel', /Ugyldig tekst: tittel inneholder tegn som ikke er gyldig Unicode/);
  });

  it('refuses control characters (no XML 1.0 answer could carry them), but takes tab and line breaks', async () => {
    const json = restForsendelse({ tittel: 'Brev \u0007\u001b', eksternReferanse: 'ref\u0000' });
    await refused(json, 'tittel', /Ugyldig tekst: tittel inneholder kontrolltegnet U\+0007/);
    await refused(json, 'eksternReferanse', /Ugyldig tekst: eksternReferanse inneholder kontrolltegnet U\+0000/);
    const ok = await send(restForsendelse({ tittel: 'Brev\tmed\r\nlinjeskift' }));
    assert.equal(ok.status, 200, ok.text);
    await assertStillSound(h);
  });

  it('refuses bidirectional overrides in any text (a title showed part of itself reversed on every page), takes embeddings and marks', async () => {
    const json = restForsendelse({ tittel: 'Vedtak \u202Etakdev', eksternReferanse: 'sak\u202D1/2' });
    await refused(json, 'tittel', /Ugyldig tekst: tittel inneholder retningstegnet U\+202E/);
    await refused(json, 'eksternReferanse', /Ugyldig tekst: eksternReferanse inneholder retningstegnet U\+202D/);
    // Outlook and Teams wrap a copied phone number in LRE … PDF; right-to-left names carry marks and isolates.
    const copied = await send(
      restForsendelse({
        tittel: 'Ring saksbehandler \u202A+47 912 34 567\u202C',
        eksternReferanse: 'sak \u200F12/3 \u2067x\u2069',
      }),
    );
    assert.equal(copied.status, 200, copied.text);
    await assertStillSound(h);
  });

  it('refuses invisible characters in a file name: two names that look the same would be different files', async () => {
    for (const [ch, code] of [
      ['\u200B', 'U\\+200B'],
      ['\u200D', 'U\\+200D'],
      ['\u2060', 'U\\+2060'],
      ['\uFEFF', 'U\\+FEFF'],
    ] as const) {
      const json = restForsendelse({ dokumenter: [{ filnavn: `vedtak${ch}.pdf`, mimeType: 'application/pdf' }] });
      await refused(json, 'dokumenter[0].filnavn', new RegExp(`Ugyldig filnavn: .*kan ikke inneholde tegnet ${code}`));
    }
  });

  it('refuses a mimeType over 127 characters and one that is not type/subtype', async () => {
    const json = restForsendelse({
      kunDigitalLevering: true,
      dokumenter: [
        { filnavn: 'a.bin', mimeType: `application/${'x'.repeat(120)}` },
        { filnavn: 'b.bin', mimeType: 'pdf' },
      ],
    });
    const res = await send(json);
    assertRefusal(
      res,
      400,
      /For lang tekst: dokumenter\[0\]\.mimeType kan ha høyst 127 tegn \(har 132\)/,
      'dokumenter[0].mimeType',
    );
    assertRefusal(res, 400, /Ugyldig mimetype: dokumenter\[1\]\.mimeType/, 'dokumenter[1].mimeType');
    await assertStillSound(h);
  });

  it('refuses a link URL over 1 000 and a link text over 100 characters (docs/interfaces.md §8)', async () => {
    const json = restForsendelse({
      lenker: [{ urlLenke: `https://example.no/${'a'.repeat(1_000)}`, urlTekst: 'x'.repeat(101) }],
    });
    const res = await send(json);
    assertRefusal(res, 400, /For lang tekst: lenker\[0\]\.urlLenke kan ha høyst 1000 tegn/, 'lenker[0].urlLenke');
    assertRefusal(
      res,
      400,
      /For lang tekst: lenker\[0\]\.urlTekst kan ha høyst 100 tegn \(har 101\)/,
      'lenker[0].urlTekst',
    );
    await assertStillSound(h);
  });

  it('refuses metadata keys over 100 and values over 500 characters, on the letter and on a document', async () => {
    const json = restForsendelse({
      metadataFraAvleverendeSystem: {
        saksBehandler: 'b'.repeat(101),
        ekstraMetadata: [{ key: 'k'.repeat(101), value: 'v' }],
      },
      dokumenter: [
        {
          filnavn: 'brev.pdf',
          mimeType: 'application/pdf',
          dokumentType: 'd'.repeat(101),
          ekstraMetadata: [{ key: 'k', value: 'v'.repeat(501) }],
        },
      ],
    });
    const res = await send(json);
    assertRefusal(
      res,
      400,
      /metadataFraAvleverendeSystem\.saksBehandler kan ha høyst 100 tegn/,
      'metadataFraAvleverendeSystem.saksBehandler',
    );
    assertRefusal(
      res,
      400,
      /metadataFraAvleverendeSystem\.ekstraMetadata\[0\]\.key kan ha høyst 100 tegn/,
      'metadataFraAvleverendeSystem.ekstraMetadata[0].key',
    );
    assertRefusal(
      res,
      400,
      /dokumenter\[0\]\.ekstraMetadata\[0\]\.value kan ha høyst 500 tegn \(har 501\)/,
      'dokumenter[0].ekstraMetadata[0].value',
    );
    assertRefusal(res, 400, /dokumenter\[0\]\.dokumentType kan ha høyst 100 tegn/, 'dokumenter[0].dokumentType');
    await assertStillSound(h);
  });

  it('refuses more than 100 documents, 50 links or 100 metadata entries, without walking them', async () => {
    const json = restForsendelse({
      dokumenter: Array.from({ length: 101 }, (_, i) => ({ filnavn: `brev${i}.pdf`, mimeType: 'application/pdf' })),
      lenker: Array.from({ length: 51 }, () => ({ urlLenke: 'https://example.no', urlTekst: 'Lenke' })),
      metadataFraAvleverendeSystem: {
        ekstraMetadata: Array.from({ length: 101 }, (_, i) => ({ key: `k${i}`, value: 'v' })),
      },
    });
    const res = await send(json);
    assertRefusal(res, 400, /For mange elementer: dokumenter kan ha høyst 100 \(har 101\)/, 'dokumenter');
    assertRefusal(res, 400, /For mange elementer: lenker kan ha høyst 50 \(har 51\)/, 'lenker');
    assertRefusal(
      res,
      400,
      /For mange elementer: metadataFraAvleverendeSystem\.ekstraMetadata kan ha høyst 100 \(har 101\)/,
      'metadataFraAvleverendeSystem.ekstraMetadata',
    );
    await assertStillSound(h);
  });

  it('refuses an 8 000-character name over SOAP V9 with a fault naming the field', async () => {
    const endpoint = `${h.t.url}/tjenester/forsendelseservice/ForsendelsesServiceV9`;
    const fixture = nodeSendForsendelse({
      dokumenter: [{ data: pdf, filnavn: 'brev.pdf' }],
      postAdresse: { navn: 'N'.repeat(8_000), adresse1: 'Storgata 1', postnr: '0155', poststed: 'Oslo' },
    });
    const res = await post(endpoint, fixture, basic(h.creds));
    assert.equal(res.status, 500, res.text.slice(0, 300));
    assert.match(
      faultstring(res.text) ?? '',
      /For lang tekst: mottaker\.postAdresse\.navn kan ha høyst 200 tegn \(har 8000\)/,
    );
    await assertStillSound(h);
  });

  it('accepts every field at its limit, and composes that letter', async () => {
    const json = restForsendelse({
      tittel: 'T'.repeat(1_000),
      avgivendeSystem: 's'.repeat(100),
      eksternReferanse: 'r'.repeat(100),
      mottaker: {
        postAdresse: {
          navn: 'K'.repeat(200),
          adresse1: 'a'.repeat(70),
          adresse2: 'b'.repeat(70),
          postNummer: '0155',
          postSted: 'O'.repeat(70),
        },
      },
      lenker: [{ urlLenke: `https://example.no/${'a'.repeat(1_000 - 19)}`, urlTekst: 'x'.repeat(100) }],
    });
    const res = await send(json);
    assert.equal(res.status, 200, res.text);
    await waitForStatus(h.t.url, h.creds, res.id!, ACCEPTED_OR_LATER);
    await assertStillSound(h);
  });
});
