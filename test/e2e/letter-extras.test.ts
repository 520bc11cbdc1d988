/**
 * Nothing a sender puts on a letter is dropped without a word (issue #17), against a real
 * node with SMTP on loopback, a KRR file and a print drop: `lenker` are validated and shown
 * in the inbox and the notification; `svarPaForsendelseLink` gives a reply link; the
 * `eksponertFor` persons are notified and may open and download the letter (which stays
 * unread until the recipient reads it); `giroarkSider` reach the print manifest; a signing
 * order is refused at intake with its message.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PDFDocument } from 'pdf-lib';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import {
  eventually,
  FNR,
  letterPdf,
  ORGNR,
  restCall,
  restForsendelse,
  restSend,
  startTestNode,
  waitForStatus,
  type Creds,
  type TestNode,
} from '../factories.js';
import { InboxLinks } from '../../src/app/inbox-links.js';
import { addUser, loggedIn } from '../browser/support.js';
import { linkIn, startSmtp } from '../mail-server.js';

const [MOTTAKER, INNSYN, UKJENT] = FNR;
/** The node's link secret, so the test can make a valid link for someone else. */
const SECRET = 'test-hemmelighet-for-innsynslenker-0123456789';
const person = (fnr: string, epost: string) => ({
  personidentifikator: fnr,
  reservasjon: 'NEI',
  status: 'AKTIV',
  kontaktinformasjon: { epostadresse: epost },
});

describe('letter extras: lenker, reply link, eksponertFor, giro pages, signing', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let dir: string;
  let t: TestNode;
  let creds: Creds;
  let pdf: Uint8Array;

  before(async () => {
    smtp = await startSmtp();
    dir = await mkdtemp(join(tmpdir(), 'budbringer-extras-'));
    await writeFile(
      join(dir, 'krr.json'),
      JSON.stringify({ personer: [person(MOTTAKER, 'mottaker@example.no'), person(INNSYN, 'innsyn@example.no')] }),
    );
    t = await startTestNode({
      SMTP_URL: smtp.url,
      KRR_FILE: join(dir, 'krr.json'),
      PRINT_DIR: join(dir, 'print'),
      SECRET,
    });
    creds = await t.sender('Tilleggskommune');
    // Where the avsender has organisations notified: also an eksponertFor organisation.
    const avsender = await t.node.storage.config.getAvsender('Tilleggskommune');
    assert.ok(avsender);
    await t.node.storage.config.updateAvsender({
      ...avsender,
      varsling: { ...avsender.varsling, organisasjonEpost: 'org@example.no' },
    });
    pdf = await letterPdf();
  });
  after(async () => {
    await t.stop();
    await smtp.close();
    await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  const send = (json: Record<string, unknown>) => restSend(t.url, creds, json, [{ filename: 'brev.pdf', bytes: pdf }]);
  const mailTo = (to: string) =>
    eventually(async () => smtp.mails.find((m) => m.to.includes(to)), 15_000, `a mail to ${to}`);
  const decoded = (raw: string) => raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');

  it('lenker and the reply link are shown; the eksponertFor person gets a link of their own that does not make it LEST', async () => {
    const sent = await send(
      restForsendelse({
        tittel: 'Vedtak med lenker',
        lenker: [{ urlLenke: 'https://kommune.example/byggesak/42', urlTekst: 'Byggesaken din', ledeTekst: 'Se' }],
        svarPaForsendelseLink: true,
        svarSendesTil: {
          postAdresse: { navn: 'Kommunen', adresse1: 'Rådhuset', postNummer: '0155', postSted: 'Oslo' },
          digitalAdresse: { organisasjonsNummer: ORGNR },
        },
        eksponertFor: [{ fodselsNummer: INNSYN }, { organisasjonsNummer: '923456783' }],
      }),
    );
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    const id = String(sent.body.id);
    await waitForStatus(t.url, creds, id, 'VARSLET');

    const mail = decoded((await mailTo('mottaker@example.no')).raw);
    assert.match(mail, /Lenker fra avsender:/);
    assert.match(mail, /Se Byggesaken din: https:\/\/kommune\.example\/byggesak\/42/);
    const page = await (await fetch(linkIn(mail))).text();
    assert.match(page, /<h2>Lenker fra avsender<\/h2>/);
    assert.match(page, /href="https:\/\/kommune\.example\/byggesak\/42"/);
    assert.match(page, />Byggesaken din</);
    assert.match(page, /href="https:\/\/svarut\.ks\.no\/edialog\/mottaker\/974760673"/);
    assert.match(page, /Svar avsenderen/);
    // In the language the recipient picks, the page's own words follow (the sender's links stay as written).
    const english = await (await fetch(`${linkIn(mail)}?sprak=en`)).text();
    assert.match(english, /<h2>Links from the sender<\/h2>/);
    assert.match(english, /<h2>Reply<\/h2>/);
    assert.match(english, />Reply to the sender</);
    assert.doesNotMatch(english, /Lenker fra avsender|Svar avsenderen|svartjenesten/);
    assert.match(english, />Byggesaken din</);

    const innsynMail = decoded((await mailTo('innsyn@example.no')).raw);
    const innsynLink = linkIn(innsynMail);
    assert.notEqual(innsynLink, linkIn(mail), 'a link of their own');
    const innsynPage = await fetch(innsynLink);
    assert.equal(innsynPage.status, 200);
    const innsynText = await innsynPage.text();
    assert.match(innsynText, /Vedtak med lenker/);
    assert.match(innsynText, /avsenderen har gitt deg innsyn/);
    assert.doesNotMatch(innsynText, /registrert som lest/);
    const orgLink = linkIn(decoded((await mailTo('org@example.no')).raw));
    assert.equal((await fetch(orgLink)).status, 200, 'the exposed organisation opens it too');
    const file = await fetch(`${innsynLink}/forsendelsesfil`);
    assert.equal(file.status, 200);
    assert.equal((await PDFDocument.load(new Uint8Array(await file.arrayBuffer()))).getPageCount() > 1, true);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await restCall(t.url, creds, `/${id}/status`)).body.status, 'VARSLET', 'not read by the recipient');

    // A valid link made for someone neither recipient nor exposed opens nothing.
    const links = new InboxLinks(Buffer.from(SECRET, 'utf8'));
    const token = links.token({
      forsendelseId: id,
      mottaker: links.recipientKey(UKJENT),
      expiresAt: Date.now() + 60_000,
    });
    const stranger = await fetch(`${t.url}/innboks/${token}`);
    assert.equal(stranger.status, 404);
    assert.match(await stranger.text(), /Lenken er ikke gyldig/);
    const exposedToken = links.token({
      forsendelseId: id,
      mottaker: links.recipientKey(INNSYN),
      expiresAt: Date.now() + 60_000,
    });
    assert.equal((await fetch(`${t.url}/innboks/${exposedToken}`)).status, 200, 'the exposed person’s key opens it');

    await (await fetch(`${linkIn(mail)}/forsendelsesfil`)).arrayBuffer();
    await waitForStatus(t.url, creds, id, 'LEST');
  });

  it('a confidential letter keeps its links out of the e-mail (they stay in the inbox)', async () => {
    smtp.mails.length = 0;
    const sent = await send(
      restForsendelse({
        tittel: 'Taushetsbelagt',
        taushetsbelagtPost: true,
        lenker: [{ urlLenke: 'https://kommune.example/hemmelig', urlTekst: 'Saken' }],
      }),
    );
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    const mail = decoded((await mailTo('mottaker@example.no')).raw);
    assert.doesNotMatch(mail, /kommune\.example/);
    assert.match(await (await fetch(linkIn(mail))).text(), /href="https:\/\/kommune\.example\/hemmelig"/);
  });

  it('a link that is not http, https or ftp is refused naming the field', async () => {
    const refused = await send(restForsendelse({ lenker: [{ urlLenke: 'javascript:alert(1)', urlTekst: 'Klikk' }] }));
    assert.equal(refused.status, 400);
    assert.match(
      String(refused.body.message),
      /^Ugyldig lenke: lenker\[0\]\.urlLenke må være en gyldig http-, https- eller ftp-adresse/,
    );
  });

  it('giroarkSider reach the print manifest as pages of the print file, lenker its cover page; a page the document lacks is refused', async () => {
    const pages = (await PDFDocument.load(pdf)).getPageCount();
    const giro = (giroarkSider: number[]) =>
      restForsendelse({
        tittel: 'Faktura med giro',
        mottaker: {
          postAdresse: { navn: 'Ukjent', adresse1: 'Gata 3', postNummer: '5003', postSted: 'Bergen' },
          digitalAdresse: { fodselsNummer: UKJENT },
        },
        dokumenter: [{ filnavn: 'brev.pdf', mimeType: 'application/pdf', giroarkSider }],
        lenker: [{ urlLenke: 'https://kommune.example/faktura/7', urlTekst: 'Fakturaen', ledeTekst: 'Betal her' }],
        svarSendesTil: {
          postAdresse: {
            navn: 'Svarkontoret Levanger',
            adresse1: 'Postboks 99',
            postNummer: '7601',
            postSted: 'Levanger',
          },
        },
      });
    const sent = await send(giro([pages]));
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    const id = String(sent.body.id);
    await waitForStatus(t.url, creds, id, 'SENDT_PRINT');
    const manifest = JSON.parse(await readFile(join(dir, 'print', `${id}.json`), 'utf8'));
    const printed = await PDFDocument.load(await readFile(join(dir, 'print', `${id}.pdf`)));
    assert.equal(manifest.sider, printed.getPageCount());
    const first = printed.getPageCount() - pages + 1;
    assert.deepEqual(manifest.dokumenter, [
      { filnavn: 'brev.pdf', sider: pages, forsteSide: first, giroarkSider: [first + pages - 1] },
    ]);
    assert.deepEqual(manifest.giroarkSider, [printed.getPageCount()]);
    // On paper the links are text on the cover page.
    const pdfjs = await getDocument({ data: new Uint8Array(await readFile(join(dir, 'print', `${id}.pdf`))) }).promise;
    const cover = (await (await pdfjs.getPage(1)).getTextContent()).items.map((i) => ('str' in i ? i.str : ''));
    // The cover's text wraps at its own width: compare with the lines joined.
    const coverText = cover.join(' ').replace(/\s+/g, ' ');
    assert.ok(coverText.includes('Lenker fra avsender:'), cover.join('|'));
    assert.ok(coverText.includes('Betal her Fakturaen: https://kommune.example/faktura/7'), cover.join('|'));
    // The reply address is the sender on paper, where the recipient answers (found in review).
    assert.ok(coverText.includes('Svarkontoret Levanger Postboks 99 7601 Levanger'), cover.join('|'));
    await pdfjs.destroy();

    const refused = await send(giro([pages + 3]));
    assert.equal(refused.status, 400);
    assert.match(
      String(refused.body.message),
      new RegExp(
        `^Ugyldig giroarkside: dokumenter\\[0\\]\\.giroarkSider viser til side ${pages + 3}, men dokumentet har bare ${pages} sider`,
      ),
    );
  });

  it('the manual print queue tells the clerk which pages go on giro paper', async () => {
    const manuell = await t.sender('Manuellkommune');
    const konto = await t.node.storage.config.getAvsender('Manuellkommune');
    assert.ok(konto);
    await t.node.storage.config.updateAvsender({ ...konto, print: { leverandor: 'manual' } });
    const pages = (await PDFDocument.load(pdf)).getPageCount();
    const sent = await restSend(
      t.url,
      manuell,
      restForsendelse({
        tittel: 'Giro for hånd',
        mottaker: {
          postAdresse: { navn: 'Ukjent', adresse1: 'Gata 3', postNummer: '5003', postSted: 'Bergen' },
          digitalAdresse: { fodselsNummer: UKJENT },
        },
        dokumenter: [{ filnavn: 'brev.pdf', mimeType: 'application/pdf', giroarkSider: [1, pages] }],
      }),
      [{ filename: 'brev.pdf', bytes: pdf }],
    );
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    await waitForStatus(t.url, manuell, String(sent.body.id), 'SENDT_PRINT');
    await addUser(t, 'giroadmin', 'admin');
    const page = (await (await loggedIn(t.url, 'giroadmin')).get('/forvaltning/manuell-print')).text;
    assert.match(page, /Giro for hånd/);
    assert.match(page, new RegExp(`giroark: side 2 og ${pages + 1} i brevet`));
  });

  it('a signing order is refused with its message while no signing service is connected', async () => {
    const refused = await send(
      restForsendelse({
        signeringUtloper: Date.now() + 7 * 86_400_000,
        signaturType: 'AVANSERT_SIGNATUR',
        dokumenter: [{ filnavn: 'brev.pdf', mimeType: 'application/pdf', skalSigneres: true }],
        svarSendesTil: {
          postAdresse: { navn: 'Kommunen', adresse1: 'Rådhuset', postNummer: '0155', postSted: 'Oslo' },
          digitalAdresse: { organisasjonsNummer: ORGNR },
        },
      }),
    );
    assert.equal(refused.status, 400, JSON.stringify(refused.body));
    assert.equal(refused.body.errorcode, 'VALIDERINGSFEIL');
    assert.match(
      String(refused.body.message),
      /^Signering støttes ikke: dokumenter\[0\]\.skalSigneres kan ikke være true: ingen signeringstjeneste er koblet til/,
    );
  });
});
