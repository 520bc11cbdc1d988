/**
 * Level-4 letters (krevNiva4Innlogging) open only with a one-time SMS code, throttled per
 * letter (the lock itself: test/e2e/reminder-niva4.test.ts). Here, with the embedded
 * defaults (notifications and SMS in DATA_DIR/outbox): four wrong codes do not lock, the
 * right one opens the letter, and the page says what opening it means.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  eventually,
  FNR,
  letterPdf,
  restForsendelse,
  restSend,
  startTestNode,
  waitForStatus,
  type Creds,
  type TestNode,
} from '../factories.js';
import { encryptForNode } from '../support/openssl.js';

const [MOTTAKER, DELT_MED] = FNR;
const MOBIL = '+4799887766';
/** The mobile of the person the letter in the eksponertFor test is shared with. */
const MOBIL_DELT = '+4799887700';
/** The avsender's address for notices to organisations. */
const ORG_EPOST = 'post@firma.example.no';

describe('inbox: a level-4 letter opened with its code after typos', () => {
  let dir: string;
  let t: TestNode;
  let creds: Creds;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-niva4-'));
    const krr = {
      personer: [
        {
          personidentifikator: MOTTAKER,
          reservasjon: 'NEI',
          status: 'AKTIV',
          kontaktinformasjon: { epostadresse: 'kari@example.no', mobiltelefonnummer: MOBIL },
        },
        {
          personidentifikator: DELT_MED,
          reservasjon: 'NEI',
          status: 'AKTIV',
          kontaktinformasjon: { epostadresse: 'ola@example.no', mobiltelefonnummer: MOBIL_DELT },
        },
      ],
    };
    await writeFile(join(dir, 'krr.json'), JSON.stringify(krr));
    t = await startTestNode({ KRR_FILE: join(dir, 'krr.json') }, join(dir, 'data'));
    creds = await t.sender('Sikkerkommune');
    // Organisations are notified at this address: level-4 letters must not go there.
    const avsender = await t.node.storage.config.getAvsender('Sikkerkommune');
    assert.ok(avsender);
    await t.node.storage.config.updateAvsender({
      ...avsender,
      varsling: { ...avsender.varsling, organisasjonEpost: ORG_EPOST },
    });
  });
  after(async () => {
    await t.stop();
    await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  const outbox = (): string => join(dir, 'data', 'outbox');

  /** Sends a level-4 letter (to Kari unless `extra` names another mottaker), encrypted to the node's certificate as a sender does (openssl cms); returns its id. */
  async function sendEncrypted(tittel: string, extra: Record<string, unknown> = {}): Promise<string> {
    const r = await restSend(
      t.url,
      creds,
      restForsendelse({
        tittel,
        krevNiva4Innlogging: true,
        kryptert: true,
        mottaker: {
          postAdresse: { navn: 'Kari', adresse1: 'Gata 1', postNummer: '0155', postSted: 'Oslo' },
          digitalAdresse: { fodselsNummer: MOTTAKER },
        },
        ...extra,
      }),
      [{ filename: 'brev.pdf', bytes: await encryptForNode(t.url, await letterPdf()) }],
    );
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.id as string;
  }

  /** Sends a level-4 letter, waits for VARSLET and returns the inbox link from its e-mail to Kari. */
  async function sendLevel4(tittel: string, extra: Record<string, unknown> = {}): Promise<string> {
    const seen = new Set(await emls());
    const id = await sendEncrypted(tittel, extra);
    await waitForStatus(t.url, creds, id, 'VARSLET');
    // The default texts leave the title out (it may be sensitive): the letter's mail is the new one.
    return linkInMailTo('kari@example.no', seen, `the e-mail for ${tittel}`);
  }

  /** The inbox link in the (first) e-mail to `to` among those not in `seen`, once it is written. */
  function linkInMailTo(to: string, seen: ReadonlySet<string>, what: string): Promise<string> {
    return eventually(
      async () => {
        for (const f of (await emls()).filter((n) => !seen.has(n))) {
          const raw = (await readFile(join(outbox(), f), 'utf8')).replace(/=\r?\n/g, '').replace(/=3D/g, '=');
          if (!raw.split(/\r?\n/).includes(`To: ${to}`)) continue;
          const m = /(http:\/\/127\.0\.0\.1:\d+\/innboks\/[A-Za-z0-9_.-]+)/.exec(raw);
          if (m?.[1] !== undefined) return m[1];
        }
        return undefined;
      },
      15_000,
      what,
    );
  }

  const emls = async (): Promise<string[]> =>
    (await readdir(outbox()).catch(() => [] as string[])).filter((n) => n.endsWith('.eml'));

  /** The codes sent by SMS so far (to `mobil` when given), oldest first. */
  async function codesSent(mobil?: string): Promise<string[]> {
    const files = (await readdir(outbox())).filter((n) => n.endsWith('.sms.txt')).sort();
    const texts = await Promise.all(files.map((f) => readFile(join(outbox(), f), 'utf8')));
    return texts
      .filter((text) => mobil === undefined || text.startsWith(`Til: ${mobil}\n`))
      .flatMap((text) => /Engangskode for brev fra Sikkerkommune: (\d{6})/.exec(text)?.[1] ?? []);
  }

  const post = (url: string, form?: Record<string, string>, cookie?: string): Promise<Response> =>
    fetch(url, {
      method: 'POST',
      redirect: 'manual',
      ...(cookie === undefined ? {} : { headers: { cookie } }),
      ...(form === undefined ? {} : { body: new URLSearchParams(form) }),
    });

  it('keeps the language the recipient chose through the code step: the page, the SMS, a refusal, the way back', async () => {
    const link = await sendLevel4('Language');
    const english = await (await fetch(`${link}?sprak=en`)).text();
    assert.match(english, /<html lang="en">/);
    assert.match(english, /<h1>Confirm that it is you<\/h1>/);
    assert.match(english, /We will send a one-time code by SMS/);
    assert.match(english, /action="[^"]+\/kode\?sprak=en"/);
    assert.match(english, /action="[^"]+\/bekreft\?sprak=en"/);
    // What a code looks like, tied to the field (a pattern alone gave only the browser's own message).
    assert.match(english, /<span class="hint" id="kode-hint">6 digits, from the SMS<\/span>/);
    assert.match(english, /<input[^>]*aria-describedby="kode-hint"/);

    const sent = await post(`${link}/kode?sprak=en`);
    assert.equal(sent.status, 303);
    const back = sent.headers.get('location') ?? '';
    assert.match(back, /^\.\.\/[A-Za-z0-9_.-]+\?sprak=en&kode=sendt$/, 'back to the letter, still in English');
    // The form then says the code is on its way (a page that looked the same made recipients press again).
    const after = await (await fetch(new URL(back, `${link}/kode`))).text();
    assert.match(after, /We have sent a one-time code by SMS to your mobile number/);
    assert.doesNotMatch(english, /We have sent a one-time code/, 'not before it was sent');
    const smsTexts = await Promise.all(
      (await readdir(outbox())).filter((n) => n.endsWith('.sms.txt')).map((f) => readFile(join(outbox(), f), 'utf8')),
    );
    assert.ok(
      smsTexts.some((text) => /One-time code for a letter from Sikkerkommune: \d{6}/.test(text)),
      'the code by SMS, in English',
    );

    // A malformed code costs no attempt; the refusal is in English and leads back in English.
    const wrong = await post(`${link}/bekreft?sprak=en`, { kode: '12345' });
    assert.equal(wrong.status, 403);
    const refusal = await wrong.text();
    assert.match(refusal, /<h1>Wrong code<\/h1>/);
    assert.match(refusal, /The code is 6 digits\./);
    assert.match(refusal, /href="\.\.\/[^"]+\?sprak=en">Try again</);

    // A document or the file opened before the code: the way back leads to the letter's page
    // from either depth (found in review: from a document it led to …/<token>/<token>).
    for (const path of ['/forsendelsesfil', '/dokumenter/0']) {
      const refused = await fetch(`${link}${path}?sprak=en`);
      assert.equal(refused.status, 403, path);
      const href = /<a href="([^"]+)">/.exec(await refused.text())?.[1]?.replace(/&amp;/g, '&') ?? '';
      const page = await fetch(new URL(href, `${link}${path}`));
      assert.equal(page.status, 200, `${path} → ${href}`);
      assert.match(await page.text(), /<h1>Confirm that it is you<\/h1>/, path);
    }

    // The letter's page asked with a method it does not take: 405 with Allow.
    const posted = await fetch(link, { method: 'POST' });
    assert.equal(posted.status, 405);
    assert.equal(posted.headers.get('allow'), 'GET, HEAD, OPTIONS');

    assert.match(await (await fetch(`${link}?sprak=nn`)).text(), /<h1>Stadfest at det er deg<\/h1>/);
    // Without a choice: the sender's language, bokmål by default, nothing added to the forms, and the others offered.
    const bokmal = await (await fetch(link)).text();
    assert.match(bokmal, /<h1>Bekreft at det er deg<\/h1>/);
    assert.match(bokmal, /action="[^"?]+\/kode"/);
    assert.match(bokmal, /<a href="\?sprak=en" lang="en" hreflang="en">English<\/a>/);
    // A link that does not work says so in the chosen language too.
    assert.match(await (await fetch(`${link}x?sprak=en`)).text(), /<h1>Invalid link<\/h1>/);
  });

  it('four wrong codes, then the right one opens it, marks it LEST, and the page tells what that means', async () => {
    const link = await sendLevel4('Svar på søknad');
    assert.equal((await post(`${link}/kode`)).status, 303);
    const code = (await codesSent()).at(-1);
    assert.ok(code !== undefined);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 4; i++) assert.equal((await post(`${link}/bekreft`, { kode: wrong })).status, 403);
    // As a phone may show it: blanks inside are no part of the code.
    const ok = await post(`${link}/bekreft`, { kode: `${code.slice(0, 3)} ${code.slice(3)}` });
    assert.equal(ok.status, 303);
    const cookie = ok.headers.get('set-cookie')?.split(';')[0];
    assert.ok(cookie?.startsWith('bb_niva4='));
    const unread = await (await fetch(link, { headers: { cookie } })).text();
    assert.match(
      unread,
      /Svar på søknad.*Sikkerkommune.*registrert som lest, og da sender vi det ikke på papir/s,
      'the page says what opening it means',
    );
    const pdf = await fetch(`${link}/forsendelsesfil`, { headers: { cookie } });
    assert.equal(pdf.status, 200);
    assert.equal(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString('latin1'),
      '%PDF-',
    );
    const id = JSON.parse(
      Buffer.from(link.split('/innboks/')[1]?.split('.')[0] ?? '', 'base64url').toString('utf8'),
    )[0] as string;
    await waitForStatus(t.url, creds, id, 'LEST');
    assert.match(
      await (await fetch(link, { headers: { cookie } })).text(),
      /Du åpnet brevet \d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2}/,
    );
  });

  it('a code opens the letter once: in another browser it is refused as used, a resend from the same browser opens it, and a new code works', async () => {
    const link = await sendLevel4('Brukt kode');
    assert.equal((await post(`${link}/kode`)).status, 303);
    const code = (await codesSent()).at(-1) ?? '';
    const ok = await post(`${link}/bekreft`, { kode: code });
    assert.equal(ok.status, 303);
    const cookie = ok.headers.get('set-cookie')?.split(';')[0] ?? '';
    // Someone else who saw the code (over a shoulder, in a forwarded SMS) cannot use it again.
    const again = await post(`${link}/bekreft`, { kode: code });
    assert.equal(again.status, 403);
    assert.match(await again.text(), /Koden er allerede brukt\. Be om en ny kode\./);
    assert.equal(again.headers.get('set-cookie'), null);
    // The browser that used it sends the form again (a double click): the letter, as before.
    const resent = await fetch(`${link}/bekreft`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie },
      body: new URLSearchParams({ kode: code }),
    });
    assert.equal(resent.status, 303);
    // A new code, within the same ten minutes, is another one and opens it in a second browser.
    assert.equal((await post(`${link}/kode`)).status, 303);
    const next = (await codesSent()).at(-1) ?? '';
    assert.notEqual(next, code);
    const second = await post(`${link}/bekreft`, { kode: next });
    assert.equal(second.status, 303);
    const cookie2 = second.headers.get('set-cookie')?.split(';')[0] ?? '';
    assert.match(await (await fetch(link, { headers: { cookie: cookie2 } })).text(), /Brukt kode/);
  });

  it('a double click sends the form twice before the first answer: both open the letter; another form is refused', async () => {
    const link = await sendLevel4('Dobbeltklikk');
    const codePage = await fetch(link);
    assert.equal(codePage.headers.get('cache-control'), 'private, no-store', 'no copy of the page is kept');
    const form = await codePage.text();
    const skjema = /name="skjema" value="([A-Za-z0-9_-]{22})"/.exec(form)?.[1];
    assert.ok(skjema !== undefined, 'the code form carries its own id');
    // The rendering's id is also a cookie of the browser it was rendered for.
    const formCookie = codePage.headers.get('set-cookie')?.split(';')[0] ?? '';
    assert.match(formCookie, /^bb_skjema=[A-Za-z0-9_-]{32}$/);
    assert.notEqual(formCookie, `bb_skjema=${skjema}`, 'the cookie is not the id a page shows');
    const otherPage = await fetch(link);
    const other = /name="skjema" value="([A-Za-z0-9_-]{22})"/.exec(await otherPage.text())?.[1];
    const otherCookie = otherPage.headers.get('set-cookie')?.split(';')[0] ?? '';
    assert.notEqual(other, skjema, 'each rendering of the form has its own');
    assert.equal((await post(`${link}/kode`)).status, 303);
    const code = (await codesSent()).at(-1) ?? '';
    // No proof cookie on either: the browser sent the second before the first answer came.
    const [first, second] = await Promise.all([
      post(`${link}/bekreft`, { skjema, kode: code }, formCookie),
      post(`${link}/bekreft`, { skjema, kode: code }, formCookie),
    ]);
    for (const r of [first, second]) {
      assert.equal(r.status, 303);
      const cookie = r.headers.get('set-cookie')?.split(';')[0] ?? '';
      assert.match(await (await fetch(link, { headers: { cookie } })).text(), /Dobbeltklikk/);
    }
    // The code seen over a shoulder, sent from another form (or a made-up id): used.
    for (const id of [other ?? '', 'A'.repeat(22)]) {
      const again = await post(`${link}/bekreft`, { skjema: id, kode: code }, otherCookie);
      assert.equal(again.status, 403, id);
      assert.match(await again.text(), /Koden er allerede brukt/);
      assert.equal(again.headers.get('set-cookie'), null);
    }
    // The first browser's form id replayed from another client, without that browser's
    // cookie or with its own: used (found in review, 6 December 2026).
    // (Each costs a guess: five lock the letter, so the other browser's own cookie is left to the loop above.)
    for (const cookie of [undefined, `bb_skjema=${skjema}`]) {
      const replayed = await post(`${link}/bekreft`, { skjema, kode: code }, cookie);
      assert.equal(replayed.status, 403, cookie ?? 'no cookie');
      assert.match(await replayed.text(), /Koden er allerede brukt/);
      assert.equal(replayed.headers.get('set-cookie'), null);
    }
  });

  it("a person the letter is shared with (eksponertFor) gets codes on their own phone, and using one leaves the recipient's code good", async () => {
    const extra = { eksponertFor: [{ fodselsNummer: DELT_MED }] };
    const kari = await sendLevel4('Delt brev', extra);
    // The only letter shared with Ola in this suite: the link in the one e-mail to him.
    const ola = await linkInMailTo('ola@example.no', new Set(), "the shared person's e-mail");
    assert.notEqual(ola, kari);
    assert.equal((await post(`${kari}/kode`)).status, 303);
    assert.equal((await post(`${ola}/kode`)).status, 303);
    const kariCode = (await codesSent(MOBIL)).at(-1) ?? '';
    const olaCode = (await codesSent(MOBIL_DELT)).at(-1) ?? '';
    assert.match(olaCode, /^\d{6}$/, "Ola's code went to Ola's phone");
    // Ola's code opens Ola's link; Kari's own code is still good afterwards.
    assert.equal((await post(`${ola}/bekreft`, { kode: olaCode })).status, 303);
    assert.equal((await post(`${kari}/bekreft`, { kode: kariCode })).status, 303);
    // Wrong codes on Ola's link do not lock Kari out.
    for (let i = 0; i < 6; i++) await post(`${ola}/bekreft`, { kode: olaCode === '000000' ? '111111' : '000000' });
    assert.equal((await post(`${kari}/kode`)).status, 303);
    assert.equal((await post(`${kari}/bekreft`, { kode: (await codesSent(MOBIL)).at(-1) ?? '' })).status, 303);
  });

  it('a level-4 letter to an organisation without a receiving system is printed at once, or not delivered when digital only; no organisation gets a link', async () => {
    const firma = {
      postAdresse: { navn: 'Firma AS', adresse1: 'Gata 1', postNummer: '0155', postSted: 'Oslo' },
      digitalAdresse: { organisasjonsNummer: '923456783' },
    };
    const send = (tittel: string, extra: Record<string, unknown>): Promise<string> =>
      sendEncrypted(tittel, { mottaker: firma, ...extra });
    const paper = await send('Til firma', {});
    await waitForStatus(t.url, creds, paper, 'SENDT_PRINT');
    const digitalOnly = await send('Til firma, kun digitalt', { kunDigitalLevering: true });
    await waitForStatus(t.url, creds, digitalOnly, 'IKKE_LEVERT');
    // Shared with an organisation and then Ola: they are notified in that order, so once Ola's
    // e-mail is there the organisation's turn has passed. Its address gets nothing.
    const seen = new Set(await emls());
    await sendLevel4('Delt med firma', {
      eksponertFor: [{ organisasjonsNummer: '974760673' }, { fodselsNummer: DELT_MED }],
    });
    await linkInMailTo('ola@example.no', seen, "Ola's e-mail, after the organisation's turn");
    const toOrganisations = [];
    for (const f of await emls()) {
      if ((await readFile(join(outbox(), f), 'utf8')).includes(`To: ${ORG_EPOST}`)) toOrganisations.push(f);
    }
    assert.deepEqual(toOrganisations, [], 'no notice leads an organisation to a code page nobody there can pass');
  });

  it('reads the code form strictly: percent-encoding that is no UTF-8 is refused, not taken as U+FFFD', async () => {
    const link = await sendLevel4('Streng skjemalesing');
    const r = await fetch(`${link}/bekreft`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'kode=%FF%FE',
    });
    assert.equal(r.status, 400);
    assert.match(await r.text(), /prosentkoding som ikke er gyldig UTF-8/);
  });

  it('guesses sent all at once are counted too: no more than five wrong codes are compared', async () => {
    const link = await sendLevel4('Vedtak');
    assert.equal((await post(`${link}/kode`)).status, 303);
    const code = (await codesSent()).at(-1);
    assert.ok(code !== undefined);
    // Thirty different wrong codes in parallel, as a guesser would send them: the headers
    // and the body's first bytes at once, the code only a second later, so every request is
    // in the server before any code is read.
    const guesses = Array.from({ length: 30 }, (_, i) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0'));
    const held = new Promise((resolve) => setTimeout(resolve, 1000));
    const slowBody = (kode: string): ReadableStream<Uint8Array> =>
      new ReadableStream({
        async start(controller) {
          controller.enqueue(new TextEncoder().encode('kode='));
          await held;
          controller.enqueue(new TextEncoder().encode(kode));
          controller.close();
        },
      });
    const statuses = await Promise.all(
      guesses.map(async (kode) => {
        const init = {
          method: 'POST',
          redirect: 'manual',
          duplex: 'half',
          body: slowBody(kode),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        };
        return (await fetch(`${link}/bekreft`, init as RequestInit)).status;
      }),
    );
    assert.equal(
      statuses.filter((s) => s === 403).length,
      5,
      `five compared, the rest refused unread: ${statuses.join(',')}`,
    );
    assert.equal(statuses.filter((s) => s === 429).length, 25);
    assert.equal((await post(`${link}/bekreft`, { kode: code })).status, 429, 'locked, even for the right code');
  });

  it("each letter keeps its own proof, at its own path, Secure behind an https proxy, and another letter's proof opens nothing", async () => {
    const confirm = async (link: string, headers: Record<string, string> = {}): Promise<string> => {
      assert.equal((await post(`${link}/kode`)).status, 303);
      const code = (await codesSent()).at(-1) ?? '';
      const ok = await fetch(`${link}/bekreft`, {
        method: 'POST',
        redirect: 'manual',
        headers,
        body: new URLSearchParams({ kode: code }),
      });
      assert.equal(ok.status, 303);
      return ok.headers.get('set-cookie') ?? '';
    };
    const linkA = await sendLevel4('Brev A');
    const linkB = await sendLevel4('Brev B');
    const setA = await confirm(linkA);
    const setB = await confirm(linkB, { 'x-forwarded-proto': 'https' });
    const tokenOf = (link: string): string => link.split('/innboks/')[1] ?? '';
    assert.match(setA, new RegExp(`Path=/innboks/${tokenOf(linkA).replace(/[.]/g, '\\.')}(;|$)`));
    assert.doesNotMatch(setA, /Secure/);
    assert.match(setB, /; Secure/);
    const cookieA = setA.split(';')[0] ?? '';
    const cookieB = setB.split(';')[0] ?? '';
    // Both open their own letter after B was confirmed; neither opens the other's.
    const opens = async (link: string, cookie: string): Promise<boolean> =>
      /Brev [AB]/.test(await (await fetch(link, { headers: { cookie } })).text());
    assert.equal(await opens(linkA, cookieA), true);
    assert.equal(await opens(linkB, cookieB), true);
    assert.equal(await opens(linkA, cookieB), false);
    assert.equal(await opens(linkB, cookieA), false);
  });
});
