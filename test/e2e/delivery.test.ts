/**
 * Delivery acceptance (issue 4), with a real SMTP server on loopback, a KRR file, a
 * PRINT_DIR and a short PRINT_FALLBACK_AFTER.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PDFDocument } from 'pdf-lib';
import {
  basic,
  eventually,
  FNR,
  letterPdf,
  restCall,
  restForsendelse,
  restSend,
  sendToPerson,
  startTestNode,
  waitForStatus,
  type Creds,
  type TestNode,
} from '../factories.js';
import { linkIn, startSmtp } from '../mail-server.js';
import { firstPageText } from '../unit/pdf/pdf-text.js';

const [LESER, RESERVERT, TREG] = FNR;
const krr = {
  personer: [
    {
      personidentifikator: LESER,
      reservasjon: 'NEI',
      status: 'AKTIV',
      kontaktinformasjon: { epostadresse: 'leser@example.no' },
    },
    {
      personidentifikator: RESERVERT,
      reservasjon: 'JA',
      status: 'AKTIV',
      kontaktinformasjon: { epostadresse: 'reservert@example.no' },
    },
    {
      personidentifikator: TREG,
      reservasjon: 'NEI',
      status: 'AKTIV',
      kontaktinformasjon: { epostadresse: 'treg@example.no' },
    },
  ],
};

describe('delivery: KRR, notification, read receipt, print, receipts', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let dir: string;
  let t: TestNode;
  let creds: Creds;
  const env = (): Record<string, string> => ({
    SMTP_URL: smtp.url,
    KRR_FILE: join(dir, 'krr.json'),
    PRINT_DIR: join(dir, 'print'),
    PRINT_FALLBACK_AFTER: 'PT4S',
    PRINT_RECEIPT_PASSWORD: 'hemmelig-passord',
  });
  before(async () => {
    smtp = await startSmtp();
    dir = await mkdtemp(join(tmpdir(), 'budbringer-delivery-'));
    await writeFile(join(dir, 'krr.json'), JSON.stringify(krr));
    t = await startTestNode(env(), join(dir, 'data'));
    creds = await t.sender('Leveransekommune');
  });
  after(async () => {
    await t.stop();
    await smtp.close();
    await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  const send = (fnr: string, extra: Record<string, unknown> = {}): Promise<string> =>
    sendToPerson(t.url, creds, fnr, { navn: 'Ola', adresse1: 'Gata 2', postNummer: '5003', postSted: 'Bergen' }, extra);

  it('a person in KRR gets one e-mail with a link; downloading the letter gives cover + pages and makes it LEST', async () => {
    const id = await send(LESER);
    await waitForStatus(t.url, creds, id, 'VARSLET');
    const mails = smtp.mails.filter((m) => m.to.includes('leser@example.no'));
    assert.equal(mails.length, 1);
    // The recipient's own number nowhere, and no other 11-digit number standing alone (an 11-digit
    // run inside the letter's UUID in the Message-ID, about one letter in a hundred, is not one).
    assert.equal(mails[0]!.raw.includes(LESER), false, 'no fødselsnummer in the e-mail');
    assert.doesNotMatch(mails[0]!.raw, /(?<![\dA-Fa-f])\d{11}(?![\dA-Fa-f])/, 'no fødselsnummer in the e-mail');
    const link = linkIn(mails[0]!.raw);
    const pageRes = await fetch(link);
    assert.equal(pageRes.status, 200);
    assert.match(await pageRes.text(), /Vedtak om byggesøknad/);
    const partial = await fetch(`${link}/forsendelsesfil`, { headers: { range: 'bytes=0-99' } });
    assert.equal(partial.status, 206);
    assert.equal((await partial.arrayBuffer()).byteLength, 100);
    const status = await restCall(t.url, creds, `/${id}/status`);
    assert.equal(status.body.status, 'VARSLET', 'a partial download does not count as read');
    const pdf = await fetch(`${link}/forsendelsesfil`);
    const doc = await PDFDocument.load(new Uint8Array(await pdf.arrayBuffer()));
    const letterPages = (await PDFDocument.load(await letterPdf())).getPageCount();
    assert.equal(doc.getPageCount(), 1 + letterPages);
    await waitForStatus(t.url, creds, id, 'LEST');
    const hist = await restCall(t.url, creds, `/${id}/historikk`);
    assert.ok(hist.body.hendelsesLogger.some((h: { hendelse: string }) => /^Lest av mottaker/.test(h.hendelse)));
    // A character inside the signature: the last one of unpadded base64url carries bits
    // that decoding ignores, so changing it (A ↔ B) can leave the same token.
    const at = link.length - 10;
    const forged = await fetch(`${link.slice(0, at)}${link[at] === 'A' ? 'B' : 'A'}${link.slice(at + 1)}`);
    assert.equal(forged.status, 404);
  });

  it('a letter fetched in parts (a resumed download, a viewer that loads by ranges) is LEST once every byte has gone (found in review)', async () => {
    const id = await send(LESER);
    await waitForStatus(t.url, creds, id, 'VARSLET');
    const mail = smtp.mails.filter((m) => m.to.includes('leser@example.no')).at(-1);
    assert.ok(mail);
    const file = `${linkIn(mail.raw)}/forsendelsesfil`;
    const first = await fetch(file, { headers: { range: 'bytes=0-999' } });
    assert.equal(first.status, 206);
    const size = Number(/\/(\d+)$/.exec(first.headers.get('content-range') ?? '')?.[1]);
    assert.ok(size > 2000, `a file of ${size} bytes`);
    const head = Buffer.from(await first.arrayBuffer());
    // The same part again, and one inside it, add nothing.
    for (const range of ['bytes=0-999', 'bytes=100-199']) {
      const again = await fetch(file, { headers: { range } });
      assert.equal(again.status, 206);
      await again.arrayBuffer();
    }
    const middle = await fetch(file, { headers: { range: `bytes=1000-${size - 2}` } });
    const body = Buffer.from(await middle.arrayBuffer());
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await restCall(t.url, creds, `/${id}/status`)).body.status, 'VARSLET', 'one byte has not gone');
    const last = await fetch(file, { headers: { range: `bytes=${size - 1}-` } });
    const tail = Buffer.from(await last.arrayBuffer());
    const whole = await PDFDocument.load(new Uint8Array(Buffer.concat([head, body, tail])));
    assert.ok(whole.getPageCount() > 1, 'the parts make the whole file');
    await waitForStatus(t.url, creds, id, 'LEST');
  });

  it('a reserved person goes to print at once; a receipt makes it PRINTET; a repeat changes nothing', async () => {
    const id = await send(RESERVERT);
    await waitForStatus(t.url, creds, id, 'SENDT_PRINT');
    const files = await readdir(join(dir, 'print'));
    assert.ok(files.includes(`${id}.pdf`) && files.includes(`${id}.json`));
    const manifest = JSON.parse(await readFile(join(dir, 'print', `${id}.json`), 'utf8'));
    assert.equal(manifest.mottaker.navn, 'Ola');
    assert.equal(smtp.mails.filter((m) => m.to.includes('reservert@example.no')).length, 0);
    const receipt = {
      forsendelseId: id,
      sider: 3,
      fargesider: 0,
      konvolutter: 1,
      ark: 2,
      vekt: 20,
      porto: 2300,
      produksjonskostnad: 450,
    };
    const post = (body: unknown, password = 'hemmelig-passord') =>
      fetch(`${t.url}/tjenester/api/print/v1/kvitteringer`, {
        method: 'POST',
        headers: { authorization: basic({ user: 'printleverandor', password }), 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    assert.equal((await post(receipt, 'feil-passord')).status, 401);
    const first = await post(receipt);
    assert.equal(first.status, 200);
    await waitForStatus(t.url, creds, id, 'PRINTET');
    const again = await post(receipt);
    assert.deepEqual(await again.json(), { kvitteringer: [{ forsendelseId: id, registrert: false }] });
    assert.equal((await post({ ...receipt, forsendelseId: '00000000-0000-4000-8000-000000000000' })).status, 404);
  });

  it('kunDigitalLevering to a reserved person is never printed: IKKE_LEVERT with the reason', async () => {
    const id = await send(RESERVERT, { kunDigitalLevering: true });
    await waitForStatus(t.url, creds, id, 'IKKE_LEVERT');
    const hist = await restCall(t.url, creds, `/${id}/historikk`);
    assert.ok(hist.body.hendelsesLogger.some((h: { hendelse: string }) => /reservert/.test(h.hendelse)));
    assert.ok(!(await readdir(join(dir, 'print'))).some((f) => f.startsWith(id)));
  });

  it('an unread letter goes to print after the deadline, not before — also across a restart, with no second e-mail', async () => {
    const id = await send(TREG);
    await waitForStatus(t.url, creds, id, 'VARSLET');
    const sentAt = Date.now();
    await t.node.close(); // restart while the deadline is pending
    t = await startTestNode(env(), join(dir, 'data'));
    const status = await restCall(t.url, creds, `/${id}/status`);
    if (Date.now() - sentAt < 3000) assert.equal(status.body.status, 'VARSLET', 'not printed before the deadline');
    await waitForStatus(t.url, creds, id, 'SENDT_PRINT', 20_000);
    assert.ok(Date.now() - sentAt >= 3500, 'printed only after the deadline');
    const hist = await restCall(t.url, creds, `/${id}/historikk`);
    const texts = hist.body.hendelsesLogger.map((h: { hendelse: string }) => h.hendelse);
    assert.ok(texts.includes('Lesefrist utløpt.'));
    await eventually(async () => ((await readdir(join(dir, 'print'))).includes(`${id}.json`) ? true : undefined));
    assert.equal(smtp.mails.filter((m) => m.to.includes('treg@example.no')).length, 1, 'exactly one e-mail');
  });

  it('a duplex print copy built once the letter went unread: the manifest places each document after the blank backs', async () => {
    const blank = await PDFDocument.create();
    blank.addPage([595.28, 841.89]);
    const onePage = await blank.save();
    const letter = await letterPdf();
    const letterPages = (await PDFDocument.load(letter)).getPageCount();
    const sent = await restSend(
      t.url,
      creds,
      restForsendelse({
        tittel: 'Faktura på papir',
        mottaker: {
          postAdresse: { navn: 'Ola', adresse1: 'Gata 2', postNummer: '5003', postSted: 'Bergen' },
          digitalAdresse: { fodselsNummer: TREG },
        },
        utskriftsKonfigurasjon: { tosidig: true, utskriftMedFarger: false },
        dokumenter: [
          { filnavn: 'vedlegg.pdf', mimeType: 'application/pdf' },
          { filnavn: 'brev.pdf', mimeType: 'application/pdf', giroarkSider: [letterPages] },
        ],
      }),
      [
        { filename: 'vedlegg.pdf', bytes: onePage },
        { filename: 'brev.pdf', bytes: letter },
      ],
    );
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    const id = String(sent.body.id);
    await waitForStatus(t.url, creds, id, 'VARSLET');
    assert.equal((await t.node.actors.state(id))?.printfil, undefined, 'no print copy while it may be read');
    await waitForStatus(t.url, creds, id, 'SENDT_PRINT', 20_000);
    const json = await eventually(async () =>
      readFile(join(dir, 'print', `${id}.json`), 'utf8').catch(() => undefined),
    );
    const manifest = JSON.parse(json) as { dokumenter: { forsteSide: number }[]; giroarkSider: number[] };
    const total = (await PDFDocument.load(await readFile(join(dir, 'print', `${id}.pdf`)))).getPageCount();
    // Duplex: the one-page document is followed by a blank back, so the letter starts two pages after it.
    const letterFirst = total - letterPages + 1;
    assert.deepEqual(
      manifest.dokumenter.map((d) => d.forsteSide),
      [letterFirst - 2, letterFirst],
    );
    assert.deepEqual(manifest.giroarkSider, [total]);
    // Its cover says it was available digitally and not opened in time.
    const cover = await firstPageText(await readFile(join(dir, 'print', `${id}.pdf`)));
    assert.match(
      cover.replace(/\s+/g, ' '),
      /Brevet ble gjort tilgjengelig digitalt, men ble ikke åpnet innen fristen/,
    );
  });
});
