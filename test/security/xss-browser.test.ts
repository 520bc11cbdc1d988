/**
 * Issue #13, point 1, in real Chromium (Debian's, through playwright-core): a sender puts
 * an HTML page and an SVG with scripts on a digital-only letter. The scripts would mark
 * the window, call a recorder on 127.0.0.1 and create an admin user through the admin
 * web's own forms. An admin logged in to the admin web opens them from the letter's detail
 * page, by direct URL, and through the recipient's inbox link: each is a download, the
 * recorder hears nothing, no user appears. A PDF still opens inline in the PDF viewer,
 * under the sandboxing CSP; a level-4 letter still opens through the sandboxed inbox's
 * code form; and the admin web's own pages run under their CSP without a violation.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { PASSORD } from '../browser/support.js';
import { eventually, letterPdf } from '../factories.js';
import { assertStillSound, type HostileNode } from './support.js';
import {
  ADMIN,
  attackScript,
  codesSent,
  hostileHtml,
  hostileSvg,
  sendDigitalOnly,
  startXssNode,
} from './xss-support.js';
import { encryptForNode } from '../support/openssl.js';
import {
  actionsAsStreams,
  scriptBehindAnnotationListObject,
  scriptsHiddenInUnparsedObjects,
  scriptsInUnreadableAnnotations,
} from '../fixtures/hostile-pdfs.js';

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
/** The frame Chromium's PDF viewer renders a PDF in. */
const PDF_VIEWER = /^chrome-extension:\/\/[a-z]+\/index\.html/;

describe("a sender's script in real Chromium", () => {
  let h: HostileNode;
  let browser: Browser;
  let recorder: Server;
  const hits: string[] = [];
  let hostile: { id: string; link: string };
  let pdfLetter: { id: string; link: string };
  let usersBefore: string[];

  const users = async (): Promise<string[]> =>
    (await h.t.node.storage.config.listUsers()).map((u) => u.brukernavn).sort();

  /** No trace of the script anywhere: not in the page, not at the recorder, no new user. */
  const assertNothingRan = async (page: Page, label: string): Promise<void> => {
    // Anything the script started would have reached the loopback recorder by now; the
    // marker and the users are read directly.
    await page.waitForTimeout(300);
    for (const frame of page.frames()) {
      if (frame.url().startsWith('http'))
        assert.equal(
          await frame.evaluate('[typeof window.pwned, typeof window.pwnedOnload].join()'),
          'undefined,undefined',
          `${label}: marker in ${frame.url()}`,
        );
    }
    assert.deepEqual(hits, [], `${label}: the recorder was called`);
    assert.deepEqual(await users(), usersBefore, `${label}: a user was created`);
  };

  /**
   * Follows `open` (a click or a navigation), checks that nothing of the script ran, and
   * only then that the document came as a download (so old code fails on the script).
   */
  const openDocument = async (page: Page, label: string, open: () => Promise<unknown>): Promise<string> => {
    const download = page.waitForEvent('download', { timeout: 10_000 }).then(
      (d) => d.suggestedFilename(),
      () => undefined,
    );
    await open().catch(() => undefined);
    await assertNothingRan(page, label);
    const filename = await download;
    assert.ok(filename !== undefined, `${label}: a download, not a page`);
    return filename;
  };

  const adminContext = async (): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${h.t.url}/forvaltning/logg-inn`);
    await page.getByLabel('Brukernavn').fill(ADMIN);
    await page.getByLabel('Passord').fill(PASSORD);
    await page.getByLabel('Passord').press('Enter');
    await page.waitForURL(/\/forvaltning\/forsendelser/);
    return { context, page };
  };

  before(async () => {
    recorder = createServer((req, res) => {
      hits.push(req.url ?? '');
      res.end();
    });
    await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', resolve));
    const recorderUrl = `http://127.0.0.1:${(recorder.address() as AddressInfo).port}`;
    h = await startXssNode();
    hostile = await sendDigitalOnly(h, [
      { filnavn: 'vedlegg.html', mimeType: 'text/html', bytes: hostileHtml(recorderUrl) },
      { filnavn: 'bilde.svg', mimeType: 'image/svg+xml', bytes: hostileSvg(recorderUrl) },
      { filnavn: 'skript.js', mimeType: 'text/javascript', bytes: Buffer.from(attackScript(recorderUrl)) },
      {
        filnavn: 'stil.css',
        mimeType: 'text/css',
        bytes: Buffer.from(`body { background: url(${recorderUrl}/css); }`),
      },
    ]);
    pdfLetter = await sendDigitalOnly(h, [
      { filnavn: 'vedtak.pdf', mimeType: 'application/pdf', bytes: await letterPdf() },
    ]);
    usersBefore = await users();
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  after(async () => {
    await browser?.close();
    await h?.t.stop();
    await new Promise((resolve) => recorder?.close(resolve));
  });

  it('an admin clicking the HTML and SVG documents on the detail page gets downloads; no script runs', async () => {
    const { context, page } = await adminContext();
    await page.goto(`${h.t.url}/forvaltning/forsendelser/${hostile.id}`);
    for (const name of ['vedlegg.html', 'bilde.svg']) {
      assert.equal(
        await openDocument(page, `detail page ${name}`, () => page.getByRole('link', { name }).first().click()),
        name,
      );
      assert.match(
        page.url(),
        new RegExp(`/forvaltning/forsendelser/${hostile.id}$`),
        'the admin stays on the detail page',
      );
    }
    await context.close();
    await assertStillSound(h);
  });

  it("an admin opening the documents' URLs directly gets downloads with nosniff and sandbox; no script runs", async () => {
    const { context, page } = await adminContext();
    for (const i of [0, 1]) {
      const url = `${h.t.url}/forvaltning/forsendelser/${hostile.id}/dokumenter/${i}`;
      const response = page.waitForResponse(url);
      await openDocument(page, `direct URL ${i}`, () => page.goto(url));
      const headers = await (await response).allHeaders();
      assert.match(headers['content-disposition'] ?? '', /^attachment;/);
      assert.equal(headers['x-content-type-options'], 'nosniff');
      assert.match(headers['content-security-policy'] ?? '', /(^|; )sandbox(;|$)/);
    }
    await context.close();
    await assertStillSound(h);
  });

  it('a page of ours that names a script or stylesheet a sender sent runs and applies neither (as after an HTML injection)', async () => {
    const { context, page } = await adminContext();
    await page.goto(`${h.t.url}/forvaltning/forsendelser/${hostile.id}`);
    // The admin web's CSP allows scripts and styles of its own origin: what an injected
    // element would load from there must not be something a sender wrote.
    const paths = [
      `/forvaltning/forsendelser/${hostile.id}/dokumenter`,
      `${new URL(hostile.link).pathname}/dokumenter`,
    ];
    for (const base of paths) {
      await page.evaluate(`(() => {
        const script = document.createElement('script');
        script.src = ${JSON.stringify(`${base}/2`)};
        document.head.append(script);
        const style = document.createElement('link');
        style.rel = 'stylesheet';
        style.href = ${JSON.stringify(`${base}/3`)};
        document.head.append(style);
      })()`);
    }
    await assertNothingRan(page, 'script and stylesheet elements');
    const served = await page.evaluate(
      `fetch('/forvaltning/forsendelser/${hostile.id}/dokumenter/2').then((r) => r.headers.get('content-type'))`,
    );
    assert.equal(served, 'application/octet-stream', 'a script a sender sent is served to a browser as bytes');
    await context.close();
    await assertStillSound(h);
  });

  it("an admin following the recipient's inbox link and its documents gets downloads; no script runs in our origin", async () => {
    const { context, page } = await adminContext();
    for (const name of ['vedlegg.html', 'bilde.svg']) {
      const response = await page.goto(hostile.link);
      assert.equal(response?.status(), 200);
      assert.equal(await openDocument(page, `inbox ${name}`, () => page.getByRole('link', { name }).click()), name);
      assert.match(
        (await response?.allHeaders())?.['content-security-policy'] ?? '',
        /sandbox/,
        'the letter page is sandboxed',
      );
    }
    for (const i of [0, 1])
      await openDocument(page, `inbox URL ${i}`, () => page.goto(`${hostile.link}/dokumenter/${i}`));
    await context.close();
    await assertStillSound(h);
  });

  it("the recipient's PDF still opens inline in the PDF viewer, under the sandboxing CSP", async () => {
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    let downloads = 0;
    page.on('download', () => downloads++);
    await page.goto(pdfLetter.link);
    const [response] = await Promise.all([
      page.waitForResponse(`${pdfLetter.link}/dokumenter/0`),
      page.getByRole('link', { name: 'vedtak.pdf' }).click(),
    ]);
    const headers = await response.allHeaders();
    assert.match(headers['content-disposition'] ?? '', /^inline;/);
    assert.match(headers['content-security-policy'] ?? '', /(^|; )sandbox(;|$)/);
    assert.doesNotMatch(headers['content-security-policy'] ?? '', /allow-scripts|allow-same-origin/);
    await page.waitForURL(`${pdfLetter.link}/dokumenter/0`);
    for (let i = 0; i < 100 && !page.frames().some((f) => PDF_VIEWER.test(f.url())); i++)
      await page.waitForTimeout(100);
    assert.ok(
      page.frames().some((f) => PDF_VIEWER.test(f.url())),
      `the PDF viewer shows it: ${page
        .frames()
        .map((f) => f.url())
        .join(', ')}`,
    );
    assert.equal(downloads, 0, 'not a download');
    await context.close();
    await assertStillSound(h);
  });

  const hidden = scriptsHiddenInUnparsedObjects();
  for (const [label, pdf] of [
    ['in an annotation pdf-lib cannot read', scriptsInUnreadableAnnotations],
    ['in an action written as a stream', actionsAsStreams],
    ['behind an annotation list of its own and a page turn', scriptBehindAnnotationListObject],
    ...Object.entries(hidden).map(([name, bytes]) => [`hidden from the name check (${name})`, () => bytes] as const),
  ] as const) {
    it(`a script ${label} does not run in the letter's own file, which opens inline (it ran: found in review)`, async () => {
      const letter = await sendDigitalOnly(h, [{ filnavn: 'vedtak.pdf', mimeType: 'application/pdf', bytes: pdf() }]);
      const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1000, height: 1000 } });
      const page = await context.newPage();
      const dialogs: string[] = [];
      const outside: string[] = [];
      context.on('request', (r) => {
        if (!r.url().startsWith(h.t.url) && /^https?:/.test(r.url())) outside.push(r.url());
      });
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss().catch(() => undefined);
      });
      // Its page (after the cover) opened at once, so a widget's page-open script would run.
      const response = await page.goto(`${letter.link}/forsendelsesfil#page=2`);
      assert.match((await response?.allHeaders())?.['content-disposition'] ?? '', /^inline;/);
      for (let i = 0; i < 100 && !page.frames().some((f) => PDF_VIEWER.test(f.url())); i++)
        await page.waitForTimeout(100);
      assert.ok(
        page.frames().some((f) => PDF_VIEWER.test(f.url())),
        'the PDF viewer shows it',
      );
      // Clicks over the page wake the viewer's form layer and press a button there.
      await page.waitForTimeout(1_500);
      for (const [x, y] of [
        [500, 300],
        [500, 500],
        [400, 700],
        [500, 200],
      ] as const) {
        await page.mouse.click(x, y);
        await page.waitForTimeout(400);
      }
      assert.deepEqual(dialogs, [], 'a dialog of the script');
      assert.deepEqual(outside, [], 'a request it sent');
      await context.close();
      await assertStillSound(h);
    });
  }

  it('a level-4 letter still opens in the sandboxed inbox: code by SMS, the form, the cookie, the letter as PDF', async () => {
    const niva4 = await sendDigitalOnly(
      h,
      // Encrypted to the node's certificate as a sender does (openssl cms).
      [{ filnavn: 'vedtak.pdf', mimeType: 'application/pdf', bytes: await encryptForNode(h.t.url, await letterPdf()) }],
      { krevNiva4Innlogging: true, kryptert: true, tittel: 'Sikkert brev' },
    );
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(niva4.link);
    assert.match(await page.locator('h1').innerText(), /Bekreft at det er deg/);
    const sent = (await codesSent(h)).length;
    await page.getByRole('button', { name: 'Send kode' }).click();
    await page.waitForURL(`${niva4.link}?kode=sendt`);
    assert.match(await page.locator('main').innerText(), /Vi har sendt en engangskode på SMS/);
    const code = await eventually(async () => (await codesSent(h)).slice(sent).at(-1), 10_000, 'the code SMS');
    await page.getByLabel('Engangskode').fill(code);
    await page.getByRole('button', { name: 'Bekreft' }).click();
    await page.waitForURL(niva4.link);
    assert.equal(
      await page.locator('h1').innerText(),
      'Sikkert brev',
      'the letter opens: the sandbox kept the form and the cookie working',
    );
    // The forsendelsesfil (cover page and the decrypted document) opens inline.
    await page.getByRole('link', { name: 'Last ned brevet (PDF)' }).click();
    await page.waitForURL(`${niva4.link}/forsendelsesfil`);
    for (let i = 0; i < 100 && !page.frames().some((f) => PDF_VIEWER.test(f.url())); i++)
      await page.waitForTimeout(100);
    assert.ok(
      page.frames().some((f) => PDF_VIEWER.test(f.url())),
      'the PDF viewer shows it',
    );
    await context.close();
    await assertStillSound(h);
  });

  it("the admin web's own pages work under their CSP: no violation, the script runs, the cover preview shows the page", async () => {
    const { context, page } = await adminContext();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    page.on('pageerror', (e) => violations.push(e.message));
    for (const path of [
      '/forvaltning/forsendelser',
      `/forvaltning/forsendelser/${hostile.id}`,
      '/forvaltning/send',
      '/forvaltning/statistikk',
      '/forvaltning/revisjonslogg',
    ]) {
      await page.goto(`${h.t.url}${path}`);
      assert.equal(
        await page.evaluate('getComputedStyle(document.querySelector(".topp")).display'),
        'flex',
        `${path}: the stylesheet applies`,
      );
    }
    await page.goto(`${h.t.url}/forvaltning/konfigurasjon/${encodeURIComponent('Ærlig kommune')}`);
    await page.getByLabel('Forsidetekst').fill('Forhåndsvisning under CSP');
    // forvaltning.js reloads the preview with the typed text: it ran.
    await page.waitForFunction(() =>
      (
        (
          globalThis as unknown as { document: { getElementById(id: string): { src: string } | null } }
        ).document.getElementById('forside-forhandsvisning')?.src ?? ''
      ).includes('CSP'),
    );
    // The preview is a PNG of the page drawn on the server (img-src 'self'): it loads under the CSP.
    await page.waitForFunction(() => {
      const img = (
        globalThis as unknown as {
          document: { getElementById(id: string): { complete: boolean; naturalWidth: number } | null };
        }
      ).document.getElementById('forside-forhandsvisning');
      return img !== null && img.complete && img.naturalWidth > 0;
    });
    assert.deepEqual(violations, []);
    await context.close();
    await assertStillSound(h);
  });
});
