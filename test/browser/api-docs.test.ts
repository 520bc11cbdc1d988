/**
 * The API documentation page in a real browser (Debian's Chromium through playwright-core):
 * Swagger UI renders Budbringer's REST v1 spec and one of KS's v3 specs under the page's
 * CSP, with no script error, no CSP violation and no request to another host.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { startTestNode, type TestNode } from '../factories.js';

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

describe('API documentation in a browser', () => {
  let t: TestNode;
  let browser: Browser;
  before(async () => {
    t = await startTestNode();
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  after(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('renders the specs with Swagger UI from this origin, within the CSP', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1366, height: 900 } })).newPage();
    const errors: string[] = [];
    const foreign: string[] = [];
    const csp: string[] = [];
    const own = new URL(t.url).host;
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) csp.push(m.text());
    });
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.protocol.startsWith('http') && url.host !== own) foreign.push(r.url());
    });

    await page.goto(`${t.url}/`);
    await page.getByRole('link', { name: /OpenAPI-beskrivelsene/ }).click();
    await page.waitForURL(/\/api-dokumentasjon$/);
    await page.getByText('/abonnementer/{abonnementId}/leveranser/send-igjen').first().waitFor({ timeout: 20_000 });
    await page.getByText('/{id}/dokumentMetadata').first().waitFor();

    await page.getByRole('link', { name: 'SvarUt v3: send (KS)' }).click();
    await page.waitForURL(/spec=forsendelse-send-api-v3$/);
    await page.locator('.opblock-summary-path').first().waitFor({ timeout: 20_000 });
    assert.ok((await page.locator('.opblock-summary-path').count()) >= 3);

    assert.deepEqual(errors, []);
    assert.deepEqual(csp, []);
    assert.deepEqual(foreign, []);
  });
});
