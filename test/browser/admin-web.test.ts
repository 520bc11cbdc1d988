/**
 * The admin web in a real browser (Debian's Chromium through playwright-core): login,
 * search by title, the detail page with its history, a configuration change that shows on
 * the next cover page, manual send, manual print confirmed → PRINTET, statistics with a
 * chart, and a sender-only user who sees only the send form. Every page is screenshotted
 * to test/browser/screenshots/ (ignored by git) for review.
 */
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PDFDocument } from 'pdf-lib';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { FNR, letterPdf, ORGNR, type Creds, type TestNode } from '../factories.js';
import { firstPageText } from '../unit/pdf/pdf-text.js';
import { addUser, PASSORD, sendLetter, startAdminTestNode, useManualPrint, waitForRecord } from './support.js';

const SCREENSHOTS = join(import.meta.dirname, 'screenshots');
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Every form control has an accessible name (label, aria-label or aria-labelledby). */
async function assertLabelled(page: Page): Promise<void> {
  // Evaluated in the page (a string: the tests compile without the DOM library).
  const unlabelled = await page.evaluate(`[...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
    .filter((el) => el.labels.length === 0 && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
    .map((el) => el.outerHTML)`);
  assert.deepEqual(unlabelled, [], `unlabelled controls on ${page.url()}`);
}

describe('admin web in Chromium', () => {
  let t: TestNode;
  let creds: Creds;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const stamp = Date.now().toString(36);
  const tittel = `Vedtak om parkeringstillatelse ${stamp}`;
  const forsidetekst = `Nettlesertest ${stamp}: brevet kommer på papir fordi du ikke har digital postkasse.`;
  let letterId: string;
  let manualId: string;

  const shot = async (name: string, p: Page = page): Promise<void> => {
    await assertLabelled(p);
    await p.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  };

  before(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    t = await startAdminTestNode([{ fnr: FNR[0], epost: 'mottaker@example.no' }]);
    creds = await t.sender('Nettleserkommune', ORGNR);
    await useManualPrint(t, 'Nettleserkommune');
    await addUser(t, 'saksbehandler', 'admin');
    await addUser(t, 'skranke', 'sender-only', 'Nettleserkommune');
    letterId = await sendLetter(t, creds, {
      tittel,
      eksternReferanse: `sak-${stamp}`,
      mottaker: {
        postAdresse: { navn: 'Dina Digital', adresse1: 'Nettveien 1', postNummer: '0150', postSted: 'Oslo' },
        digitalAdresse: { fodselsNummer: FNR[0] },
      },
    });
    await waitForRecord(t, letterId, 'VARSLET');
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    context = await browser.newContext({
      viewport: { width: 1366, height: 900 },
      locale: 'nb-NO',
      acceptDownloads: true,
    });
    page = await context.newPage();
  });
  after(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('logs in (keyboard: the skip link comes first) and lands on Forsendelser', async () => {
    await page.goto(`${t.url}/forvaltning`);
    assert.match(page.url(), /\/forvaltning\/logg-inn$/);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate('document.activeElement.textContent.trim()'), 'Hopp til hovedinnhold');
    await shot('01-logg-inn');
    await page.getByLabel('Brukernavn').fill('saksbehandler');
    await page.getByLabel('Passord').fill(PASSORD);
    await page.getByLabel('Passord').press('Enter');
    await page.waitForURL(/\/forvaltning\/forsendelser$/);
    assert.equal(await page.locator('h1').textContent(), 'Forsendelser');
  });

  it('a link from another site (a webmail, a ticket) opens the page logged in, and the session lives on', async () => {
    // A page of another site (localhost is another site than 127.0.0.1 to the browser) linking to a letter.
    const elsewhere = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><a href="${t.url}/forvaltning/forsendelser/${letterId}">Brevet</a>`);
    });
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
    try {
      await page.goto(`http://localhost:${(elsewhere.address() as AddressInfo).port}/`);
      await page.getByRole('link', { name: 'Brevet' }).click();
      await page.waitForURL(new RegExp(`/forvaltning/(forsendelser/${letterId}|logg-inn)`));
      assert.match(page.url(), new RegExp(`/forvaltning/forsendelser/${letterId}$`), 'not sent to the login page');
      await page.goto(`${t.url}/forvaltning/forsendelser`);
      assert.match(page.url(), /\/forvaltning\/forsendelser$/, 'still logged in afterwards');
    } finally {
      await new Promise((resolve) => elsewhere.close(resolve));
    }
  });

  it('finds the forsendelse by title and shows its detail page with the history', async () => {
    await page.getByLabel('Tittel').fill(`parkeringstillatelse ${stamp}`);
    await page.getByRole('button', { name: 'Søk' }).click();
    await page.waitForURL(/tittel=/);
    assert.equal(await page.locator('#treff').textContent(), '1 forsendelse funnet, nyeste først.');
    await shot('02-forsendelser-sok');
    await page.setViewportSize({ width: 800, height: 1100 });
    await shot('02b-forsendelser-nettbrett');
    await page.setViewportSize({ width: 1366, height: 900 });

    await page.getByRole('link', { name: tittel }).click();
    await page.waitForURL(new RegExp(`/forvaltning/forsendelser/${letterId}$`));
    const history = await page.locator('#historikk').innerText();
    assert.match(history, /Mottatt, og tildelt forsendelse-id/);
    assert.match(history, /Akseptert for ekspedering/);
    assert.ok(history.indexOf('Mottatt') < history.indexOf('Akseptert'));
    assert.match(await page.locator('main').innerText(), /Varsling sendt til mottaker på e-post/);
    await shot('03-forsendelse-detalj');
  });

  it('changes the cover text; the live preview and the next cover page show it', async () => {
    await page.getByRole('link', { name: 'Konfigurasjon' }).click();
    await page.getByRole('link', { name: 'Nettleserkommune' }).click();
    await page.getByLabel('Forsidetekst').fill(forsidetekst);
    // The script reloads the preview with the typed values.
    const frame = page.locator('#forside-forhandsvisning');
    type Doc = { document: { getElementById(id: string): { src: string } | null } };
    await page.waitForFunction(
      (wanted: string) =>
        ((globalThis as unknown as Doc).document.getElementById('forside-forhandsvisning')?.src ?? '').includes(wanted),
      `Nettlesertest+${stamp}`,
    );
    const previewUrl = await frame.getAttribute('src');
    assert.ok(previewUrl);
    // The preview is an image of the page drawn on the server; the same values as PDF carry the text.
    const preview = await context.request.get(new URL(previewUrl, page.url()).toString());
    assert.equal(preview.headers()['content-type'], 'image/png');
    assert.deepEqual([...(await preview.body()).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    await page.waitForFunction(
      () =>
        ((
          globalThis as unknown as { document: { getElementById(id: string): { naturalWidth: number } | null } }
        ).document.getElementById('forside-forhandsvisning')?.naturalWidth ?? 0) > 0,
    );
    const asPdf = await context.request.get(
      new URL(previewUrl.replace('forside.png', 'forside.pdf'), page.url()).toString(),
    );
    assert.equal(asPdf.headers()['content-type'], 'application/pdf');
    assert.match(await firstPageText(await asPdf.body()), new RegExp(`Nettlesertest ${stamp}`));
    // The button for browsers without the script posts the form to a new tab: the image,
    // and the session's CSRF token nowhere in the address (a GET of the form put it there).
    const [popup] = await Promise.all([
      page.waitForEvent('popup'),
      page.getByRole('button', { name: 'Oppdater forhåndsvisning' }).click(),
    ]);
    await popup.waitForLoadState('load');
    assert.match(popup.url(), /\/forside\.png$/);
    assert.doesNotMatch(popup.url(), /_csrf/, popup.url());
    assert.equal(
      await popup.evaluate(() => (globalThis as unknown as { document: { contentType: string } }).document.contentType),
      'image/png',
    );
    await popup.close();
    await page.getByRole('button', { name: 'Lagre forsiden' }).click();
    await page.waitForURL(/ok=forside/);
    assert.match(await page.locator('.melding').innerText(), /Forsiden er lagret/);
    await shot('04-konfigurasjon');
  });

  it('sends a letter by hand into the same pipeline; its print file carries the new cover text', async () => {
    await page.getByRole('link', { name: 'Send forsendelse' }).click();
    await page.getByLabel('Navn (må fylles ut)').fill('Per Papir');
    await page.getByLabel('Adresselinje 1').fill('Postveien 3');
    await page.getByLabel('Postnummer').fill('9008');
    await page.getByLabel('Poststed').fill('Tromsø');
    await page.getByLabel('Tittel').fill(`Manuelt brev ${stamp}`);
    await page
      .getByLabel('Dokumenter (PDF)')
      .setInputFiles({ name: 'vedtak.pdf', mimeType: 'application/pdf', buffer: Buffer.from(await letterPdf()) });
    await shot('05-send-forsendelse');
    await page.getByRole('button', { name: 'Send forsendelse' }).click();
    await page.waitForURL(/\/forvaltning\/forsendelser\/[0-9a-f-]{36}\?ok=sendt$/);
    manualId = /forsendelser\/([0-9a-f-]{36})/.exec(page.url())?.[1] ?? '';
    assert.match(await page.locator('.melding').innerText(), /Forsendelsen er mottatt/);
    const record = await t.node.storage.readModel.get(manualId);
    assert.equal(record?.avsender, 'Nettleserkommune');
    assert.equal(record?.tittel, `Manuelt brev ${stamp}`);

    await waitForRecord(t, manualId, 'SENDT_PRINT');
    await page.reload();
    await shot('06-sendt-forsendelse');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      // It went on paper at once: the print copy is its one file (docs/architecture.md step 4).
      page.locator('#last-ned-printfil').click(),
    ]);
    const bytes = await readFile((await download.path()) ?? '');
    const cover = await firstPageText(bytes);
    assert.match(cover, new RegExp(`Nettlesertest ${stamp}`), 'the new cover text is on the cover page');
    assert.match(cover, /Per Papir/);
  });

  it('prints by hand: downloads the batch and confirms → PRINTET', async () => {
    await page.getByRole('link', { name: 'Manuell print' }).click();
    const label = `Velg «Manuelt brev ${stamp}» til Per Papir`;
    await page.getByLabel(label).check();
    await shot('07-manuell-print');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Last ned ensidige brev (PDF)' }).click(),
    ]);
    const batch = await PDFDocument.load(await readFile((await download.path()) ?? ''));
    const own = (await t.node.actors.state(manualId))?.printfil?.sider;
    assert.equal(batch.getPageCount(), own);
    await page.getByLabel(label).check();
    await page.getByRole('button', { name: 'Bekreft valgte som printet' }).click();
    await page.waitForURL(/bekreftet=1/);
    assert.match(await page.locator('.melding').innerText(), /1 brev er bekreftet printet/);
    await waitForRecord(t, manualId, 'PRINTET');
    await shot('08-manuell-print-bekreftet');
  });

  it('shows statistics with a chart, and the audit log', async () => {
    await page.getByRole('link', { name: 'Statistikk' }).click();
    const chart = page.locator('svg#diagram-levering');
    await chart.waitFor();
    assert.ok((await chart.locator('rect').count()) > 0);
    assert.match(await page.locator('.nokkeltall').innerText(), /2\s+forsendelser mottatt/);
    await shot('09-statistikk');
    await page.getByRole('link', { name: 'Revisjonslogg' }).click();
    const log = await page.locator('main').innerText();
    assert.match(log, /Endret forside/);
    assert.match(log, /Sendte forsendelse manuelt/);
    assert.match(log, /Bekreftet manuell print/);
    await shot('10-revisjonslogg');
    await page.getByRole('link', { name: 'Hjelp' }).click();
    await shot('11-hjelp');
  });

  it('gives a sender-only user the send form and nothing else', async () => {
    const other = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'nb-NO' });
    const p = await other.newPage();
    await p.goto(`${t.url}/forvaltning/logg-inn`);
    await p.getByLabel('Brukernavn').fill('skranke');
    await p.getByLabel('Passord').fill(PASSORD);
    await p.getByRole('button', { name: 'Logg inn' }).click();
    await p.waitForURL(/\/forvaltning\/send$/);
    assert.deepEqual(await p.locator('nav[aria-label="Hovedmeny"] a').allInnerTexts(), ['Send forsendelse']);
    assert.match(await p.locator('main').innerText(), /Sendes som avsender Nettleserkommune/);
    await shot('12-begrenset-tilgang', p);
    const refused = await p.goto(`${t.url}/forvaltning/forsendelser`);
    assert.equal(refused?.status(), 403);
    assert.match(await p.locator('main').innerText(), /Ingen tilgang/);
    await shot('13-begrenset-tilgang-nektet', p);
    await other.close();
  });

  it('warns five minutes before an idle session ends, and its button keeps the session (WCAG 2.2.1)', async () => {
    const other = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'nb-NO' });
    try {
      const p = await other.newPage();
      await p.clock.install();
      await p.goto(`${t.url}/forvaltning/logg-inn`);
      await p.getByLabel('Brukernavn').fill('saksbehandler');
      await p.getByLabel('Passord').fill(PASSORD);
      await p.getByRole('button', { name: 'Logg inn' }).click();
      await p.waitForURL(/\/forvaltning\/forsendelser/);
      const warning = p.locator('#okt-varsel');
      assert.equal(await warning.isVisible(), false);
      await p.clock.fastForward('54:00');
      assert.equal(await warning.isVisible(), false, 'not before the last five minutes');
      await p.clock.fastForward('01:01');
      assert.equal(await warning.isVisible(), true);
      assert.match(await warning.innerText(), /Du blir logget ut om 5 minutter/);
      const keep = p.getByRole('button', { name: 'Fortsett å være innlogget' });
      assert.equal(await p.evaluate('document.activeElement?.textContent?.trim()'), 'Fortsett å være innlogget');
      const kept = p.waitForResponse((r) => r.url().endsWith('/forvaltning/okt'));
      await keep.click();
      assert.equal((await kept).status(), 204);
      await p.waitForFunction(`document.getElementById('okt-varsel').hidden`);
      await shot('14-okt-forlenget', p);
      const maks = Number(await p.evaluate(`document.body.getAttribute('data-okt-maks-ms')`));
      assert.ok(maks > 9.9 * 3_600_000 && maks <= 10 * 3_600_000, `${maks} ms left of the ten hours`);
      // A session that has already ended is not said to be kept: the page reloads to the login
      // (found in review: the login page's 200 behind the redirect counted as kept).
      await p.clock.fastForward('55:01');
      assert.equal(await warning.isVisible(), true);
      await other.clearCookies();
      await keep.click();
      await p.waitForURL(/\/forvaltning\/logg-inn/);
    } finally {
      await other.close();
    }
  });

  it('shows what Budbringer is on the front page, with links to the admin web and the API', async () => {
    await page.goto(`${t.url}/`);
    assert.equal(await page.getByRole('link', { name: 'Gå til forvaltningen' }).getAttribute('href'), '/forvaltning');
    assert.match(await page.locator('main').innerText(), /API-dokumentasjon/);
    await shot('00-forside');
  });
});
