/**
 * Delivery acceptance (issue 4), the optional parts: the reminder before the print
 * deadline (REMINDER_BEFORE), and letters that need level-4 login (krevNiva4Innlogging):
 * a one-time code by SMS through the HTTP SMS gateway adapter, to a gateway on loopback
 * that records what it is sent.
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
  waitForStatus,
  type Creds,
  type TestNode,
} from '../factories.js';
import { linkIn, startSmtp, subjectOf, type TestSmtp } from '../mail-server.js';
import { encryptForNode } from '../support/openssl.js';
import { startSmsGateway } from '../support/sms-gateway.js';
import { findFnr } from '../unit/domain-validation/numbers.js';

const [GLEMSK, LESER, SIKKER] = FNR;
/** A recipient whose letter its sender deletes (slettFiler) while it waits unread. */
const TILBAKEKALT = findFnr('020190', 0);
const MOBIL = '+4799887766';
const krr = {
  personer: [
    {
      personidentifikator: GLEMSK,
      reservasjon: 'NEI',
      status: 'AKTIV',
      kontaktinformasjon: { epostadresse: 'glemsk@example.no' },
    },
    {
      personidentifikator: LESER,
      reservasjon: 'NEI',
      status: 'AKTIV',
      kontaktinformasjon: { epostadresse: 'leser@example.no' },
    },
    {
      personidentifikator: TILBAKEKALT,
      reservasjon: 'NEI',
      status: 'AKTIV',
      kontaktinformasjon: { epostadresse: 'tilbakekalt@example.no' },
    },
    {
      personidentifikator: SIKKER,
      reservasjon: 'NEI',
      status: 'AKTIV',
      kontaktinformasjon: { epostadresse: 'sikker@example.no', mobiltelefonnummer: MOBIL },
    },
  ],
};

describe('delivery: reminder before the print deadline, and level-4 letters with a one-time code by SMS', () => {
  let smtp: TestSmtp;
  let sms: Awaited<ReturnType<typeof startSmsGateway>>;
  let dir: string;
  let t: TestNode;
  let creds: Creds;
  before(async () => {
    smtp = await startSmtp();
    sms = await startSmsGateway();
    dir = await mkdtemp(join(tmpdir(), 'budbringer-paminnelse-'));
    await writeFile(join(dir, 'krr.json'), JSON.stringify(krr));
    t = await startTestNode(
      {
        SMTP_URL: smtp.url,
        SMS_URL: sms.url,
        KRR_FILE: join(dir, 'krr.json'),
        PRINT_DIR: join(dir, 'print'),
        // Print after 8 s unread; the reminder 4 s before, i.e. 4 s after the notification.
        PRINT_FALLBACK_AFTER: 'PT8S',
        REMINDER_BEFORE: 'PT4S',
      },
      join(dir, 'data'),
    );
    creds = await t.sender('Påminnelseskommune');
  });
  after(async () => {
    await t.stop();
    await smtp.close();
    await sms.close();
    await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  const send = async (fnr: string, extra: Record<string, unknown> = {}, bytes?: Uint8Array): Promise<string> => {
    const json = restForsendelse({
      mottaker: {
        postAdresse: { navn: 'Ola', adresse1: 'Gata 2', postNummer: '5003', postSted: 'Bergen' },
        digitalAdresse: { fodselsNummer: fnr },
      },
      ...extra,
    });
    const r = await restSend(t.url, creds, json, [{ filename: 'brev.pdf', bytes: bytes ?? (await letterPdf()) }]);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.id as string;
  };
  const mailsTo = (address: string) => smtp.mails.filter((m) => m.to.includes(address));
  const historyOf = async (id: string): Promise<string[]> =>
    (await restCall(t.url, creds, `/${id}/historikk`)).body.hendelsesLogger.map(
      (h: { hendelse: string }) => h.hendelse,
    );

  it(
    'an unread letter gets exactly one reminder e-mail before it goes to print; a letter read first gets none',
    { timeout: 60_000 },
    async () => {
      const unread = await send(GLEMSK);
      const read = await send(LESER);
      await waitForStatus(t.url, creds, unread, 'VARSLET');
      await waitForStatus(t.url, creds, read, 'VARSLET');
      // The second one is read at once, long before its reminder is due.
      const link = linkIn(mailsTo('leser@example.no')[0]?.raw ?? '');
      assert.equal(await fetch(`${link}/forsendelsesfil`).then(async (r) => (await r.arrayBuffer(), r.status)), 200);
      await waitForStatus(t.url, creds, read, 'LEST');

      await waitForStatus(t.url, creds, unread, 'SENDT_PRINT', 30_000);
      const mails = mailsTo('glemsk@example.no');
      assert.equal(mails.length, 2, 'the notification and one reminder');
      assert.doesNotMatch(subjectOf(mails[0]?.raw ?? ''), /^Påminnelse/);
      assert.match(subjectOf(mails[1]?.raw ?? ''), /^Påminnelse: /);
      linkIn(mails[1]?.raw ?? ''); // the reminder carries a link too
      const lines = await historyOf(unread);
      const reminded = lines.indexOf('Påminnelse sendt til mottaker');
      assert.ok(reminded > 0, lines.join('\n'));
      assert.equal(lines.filter((l) => l === 'Påminnelse sendt til mottaker').length, 1);
      assert.ok(reminded < lines.indexOf('Lesefrist utløpt.'), 'the reminder came before the deadline');

      // The read letter's reminder time has passed too (4 s after its notification): still no reminder.
      await eventually(
        async () => ((await t.node.storage.jobs.state(`reminder:${read}`)) === 'completed' ? true : undefined),
        20_000,
        "the read letter's reminder job",
      );
      assert.equal(mailsTo('leser@example.no').length, 1, 'only the notification');
      assert.ok(!(await historyOf(read)).includes('Påminnelse sendt til mottaker'));
      assert.equal(mailsTo('glemsk@example.no').length, 2, 'no further mail after print');
    },
  );

  it(
    'a letter whose sender deletes its files while it waits unread gets no reminder and is not printed: it ends IKKE_LEVERT',
    { timeout: 60_000 },
    async () => {
      const id = await send(TILBAKEKALT);
      await waitForStatus(t.url, creds, id, 'VARSLET');
      const link = linkIn(mailsTo('tilbakekalt@example.no')[0]?.raw ?? '');
      const slett = await restCall(t.url, creds, '/slettFiler', { json: [{ id }] });
      assert.equal(slett.status, 204);
      // The deadline is 8 s after the notification: at it, the letter ends instead of going to print.
      await waitForStatus(t.url, creds, id, 'IKKE_LEVERT', 30_000);
      const lines = await historyOf(id);
      assert.ok(lines.includes('Dokumenter slettet på forespørsel fra avsender'), lines.join('\n'));
      assert.ok(
        lines.includes('Ikke levert: dokumentene ble slettet før mottaker leste forsendelsen, så den skrives ikke ut'),
        lines.join('\n'),
      );
      assert.ok(!lines.includes('Påminnelse sendt til mottaker'), lines.join('\n'));
      assert.ok(!lines.includes('Sendt til print'), lines.join('\n'));
      assert.equal(mailsTo('tilbakekalt@example.no').length, 1, 'the notification only, no reminder');
      assert.equal((await t.node.storage.jobs.state(`print:${id}`)) ?? 'none', 'none', 'no print job');
      // The recipient's link says the sender deleted it, not that its retention period ended.
      const page = await fetch(link);
      assert.equal(page.status, 410);
      const text = await page.text();
      assert.match(text, /Avsenderen slettet brevet/);
      assert.equal(text.match(/Ta kontakt med avsenderen/g)?.length, 1, 'one contact sentence, not two');
    },
  );

  it(
    'level 4: the inbox asks for a one-time code sent by SMS; no code or a wrong code is refused; the right one opens the letter and makes it LEST',
    { timeout: 60_000 },
    async () => {
      // kryptert: the sender encrypts the PDF to the node's published certificate (CMS, openssl).
      const pdf = await letterPdf();
      const cms = await encryptForNode(t.url, pdf);
      const id = await send(SIKKER, { krevNiva4Innlogging: true, kryptert: true }, cms);
      await waitForStatus(t.url, creds, id, 'VARSLET');
      const link = linkIn(mailsTo('sikker@example.no')[0]?.raw ?? '');
      const varsel = sms.received.filter((s) => s.to === MOBIL);
      assert.equal(varsel.length, 1, 'the notification went by SMS too');
      assert.doesNotMatch(varsel[0]?.text ?? '', /Engangskode/);

      const page = await fetch(link);
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.match(html, /krever sikker pålogging/);
      assert.match(html, /Engangskode/);
      assert.doesNotMatch(html, /brev\.pdf/, 'no document is listed before the code');

      const noCode = await fetch(`${link}/forsendelsesfil`);
      assert.equal(noCode.status, 403);
      assert.equal((await fetch(`${link}/dokumenter/0`)).status, 403);

      const asked = await fetch(`${link}/kode`, { method: 'POST', redirect: 'manual' });
      assert.equal(asked.status, 303);
      const codeSms = await eventually(
        async () => sms.received.find((s) => s.to === MOBIL && /Engangskode/.test(s.text)),
        10_000,
        'the code SMS',
      );
      const code = /(\d{6})/.exec(codeSms.text)?.[1];
      assert.ok(code, codeSms.text);
      assert.match(codeSms.text, /Påminnelseskommune/);

      for (const malformed of [`${code}1`, 'øøøøøø', '', code.slice(1)]) {
        const r = await fetch(`${link}/bekreft`, {
          method: 'POST',
          body: new URLSearchParams({ kode: malformed }),
          redirect: 'manual',
        });
        assert.equal(r.status, 403, `code '${malformed}' is just wrong, not a server error`);
      }
      const wrongCode = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
      const wrong = await fetch(`${link}/bekreft`, {
        method: 'POST',
        body: new URLSearchParams({ kode: wrongCode }),
        redirect: 'manual',
      });
      assert.equal(wrong.status, 403);
      assert.equal(wrong.headers.get('set-cookie'), null);
      assert.equal((await fetch(`${link}/forsendelsesfil`)).status, 403);
      assert.equal((await restCall(t.url, creds, `/${id}/status`)).body.status, 'VARSLET');

      const right = await fetch(`${link}/bekreft`, {
        method: 'POST',
        body: new URLSearchParams({ kode: code }),
        redirect: 'manual',
      });
      assert.equal(right.status, 303);
      const cookie = right.headers.get('set-cookie')?.split(';')[0];
      assert.ok(cookie, 'a session cookie for the verified letter');
      const opened = await fetch(link, { headers: { cookie } });
      assert.match(await opened.text(), /brev\.pdf/);
      const doc = await fetch(`${link}/dokumenter/0`, { headers: { cookie } });
      assert.equal(doc.status, 200);
      assert.deepEqual(
        new Uint8Array(await doc.arrayBuffer()),
        pdf,
        'the decrypted document, byte for byte, for the verified recipient',
      );
      const fil = await fetch(`${link}/forsendelsesfil`, { headers: { cookie } });
      assert.equal(fil.status, 200);
      assert.equal(new TextDecoder().decode(new Uint8Array(await fil.arrayBuffer()).subarray(0, 5)), '%PDF-');
      await waitForStatus(t.url, creds, id, 'LEST');
      // The cookie is for this letter only.
      const other = await send(
        SIKKER,
        { krevNiva4Innlogging: true, kryptert: true },
        await encryptForNode(t.url, await letterPdf()),
      );
      await waitForStatus(t.url, creds, other, 'VARSLET');
      const otherLink = linkIn(mailsTo('sikker@example.no').at(-1)?.raw ?? '');
      assert.notEqual(otherLink, link);
      assert.equal((await fetch(`${otherLink}/forsendelsesfil`, { headers: { cookie } })).status, 403);
    },
  );

  it(
    'level 4: a code SMS the gateway refuses gives the recipient a page saying so, and the next try sends it',
    { timeout: 60_000 },
    async () => {
      const id = await send(
        SIKKER,
        { krevNiva4Innlogging: true, kryptert: true },
        await encryptForNode(t.url, await letterPdf()),
      );
      await waitForStatus(t.url, creds, id, 'VARSLET');
      const link = linkIn(mailsTo('sikker@example.no').at(-1)?.raw ?? '');
      const before = sms.received.length;
      sms.refuse = 1;
      const refused = await fetch(`${link}/kode`, { method: 'POST', redirect: 'manual' });
      assert.equal(refused.status, 503);
      assert.match(await refused.text(), /Vi fikk ikke sendt koden akkurat nå/);
      assert.equal(sms.received.length, before);
      assert.equal((await fetch(`${link}/kode`, { method: 'POST', redirect: 'manual' })).status, 303);
      assert.equal(sms.received.length, before + 1);
      assert.match(sms.received.at(-1)?.text ?? '', /Engangskode for brev fra .*: \d{6}$/);
    },
  );

  it(
    'level 4: guessing is cut off after five wrong codes, and at most three code SMS go out per link',
    { timeout: 60_000 },
    async () => {
      const id = await send(
        SIKKER,
        { krevNiva4Innlogging: true, kryptert: true },
        await encryptForNode(t.url, await letterPdf()),
      );
      await waitForStatus(t.url, creds, id, 'VARSLET');
      const link = linkIn(mailsTo('sikker@example.no').at(-1)?.raw ?? '');
      const codeSmsCount = () => sms.received.filter((s) => s.to === MOBIL && /Engangskode/.test(s.text)).length;
      const before = codeSmsCount();
      for (let i = 0; i < 3; i++)
        assert.equal((await fetch(`${link}/kode`, { method: 'POST', redirect: 'manual' })).status, 303);
      const fourth = await fetch(`${link}/kode`, { method: 'POST', redirect: 'manual' });
      assert.equal(fourth.status, 429);
      assert.match(await fourth.text(), /allerede sendt deg flere koder/);
      assert.equal(codeSmsCount(), before + 3);
      const code = /(\d{6})/.exec(sms.received.filter((s) => s.to === MOBIL).at(-1)?.text ?? '')?.[1];
      assert.ok(code);
      const attempt = (kode: string) =>
        fetch(`${link}/bekreft`, { method: 'POST', body: new URLSearchParams({ kode }), redirect: 'manual' });
      for (let i = 1; i <= 5; i++)
        assert.equal((await attempt(String((Number(code) + i) % 1_000_000).padStart(6, '0'))).status, 403);
      const locked = await attempt(code);
      assert.equal(locked.status, 429, 'even the right code is refused once the guesses are used up');
      assert.match(await locked.text(), /For mange feil koder/);
      assert.equal(locked.headers.get('set-cookie'), null);
      assert.equal((await fetch(`${link}/forsendelsesfil`)).status, 403);
      assert.equal((await restCall(t.url, creds, `/${id}/status`)).body.status, 'VARSLET');
    },
  );
});
