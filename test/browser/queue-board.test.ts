/**
 * bull-board in a real browser (Debian's Chromium through playwright-core): an admin
 * follows "Jobbkøer" from the admin web's menu, and the board renders our queues under its
 * Content-Security-Policy — its scripts and styles from this origin, no request to any
 * other host (the page's Google Fonts link is blocked), and no script error.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { ORGNR, type TestNode } from '../factories.js';
import { redisSkip, redisUrl, sweepKeys, uniquePrefix } from '../redis-support.js';
import { addUser, PASSORD, sendLetter, startAdminTestNode } from './support.js';

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
const skip = await redisSkip('bull-board i nettleser');

describe('bull-board in a browser', { skip }, () => {
  let t: TestNode;
  let browser: Browser;
  const prefix = uniquePrefix('board-browser');

  before(async () => {
    t = await startAdminTestNode([], { REDIS_URL: redisUrl, QUEUE_PREFIX: prefix });
    await addUser(t, 'drift', 'admin');
    await sendLetter(t, await t.sender('Kommune A', ORGNR));
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  after(async () => {
    await browser?.close();
    await t?.stop();
    await sweepKeys(prefix);
  });

  it('renders the queues for an admin who follows the menu link', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1366, height: 900 } })).newPage();
    const errors: string[] = [];
    const foreign: string[] = [];
    const failed: string[] = [];
    const blocked: string[] = [];
    const own = new URL(t.url).host;
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => {
      if (new URL(r.url()).host !== own) foreign.push(r.url());
    });
    page.on('requestfailed', (r) => {
      const why = r.failure()?.errorText ?? '';
      if (new URL(r.url()).host !== own) blocked.push(`${why} ${r.url()}`);
      // The board polls its API; leaving the page aborts a poll in flight, which is no failure.
      else if (why !== 'net::ERR_ABORTED') failed.push(`${why} ${r.url()}`);
    });
    page.on('response', (r) => {
      if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
    });

    await page.goto(`${t.url}/admin/queues`);
    await page.waitForURL(/\/forvaltning\/logg-inn\?neste=%2Fadmin%2Fqueues$/);
    await page.getByLabel('Brukernavn').fill('drift');
    await page.getByLabel('Passord').fill(PASSORD);
    await page.getByLabel('Passord').press('Enter');
    await page.waitForURL(/\/admin\/queues$/);
    await page.getByText('budbringer.compose').first().waitFor({ timeout: 20_000 });
    assert.equal(await page.title(), 'Budbringer – jobbkøer');

    // And the way back and forth through the admin web's menu.
    await page.goto(`${t.url}/forvaltning/forsendelser`);
    await page.getByRole('link', { name: 'Jobbkøer' }).click();
    await page.waitForURL(/\/admin\/queues$/);
    await page.getByText('budbringer.notify').first().waitFor({ timeout: 20_000 });

    assert.deepEqual(errors, []);
    // Every request to another host (the page's Google Fonts link) was stopped by the CSP.
    assert.deepEqual(blocked.sort(), foreign.map((url) => `csp ${url}`).sort());
    assert.deepEqual(failed, []);
  });
});
