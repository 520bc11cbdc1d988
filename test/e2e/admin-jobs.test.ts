/**
 * The admin web's Jobber page on the embedded (SQLite) queue: a print job that cannot
 * write to the print drop fails, is listed with its error and a link to its letter, is
 * retried (and fails again, the drop still broken) and then discarded; every action is in
 * the audit log; only admins see the page.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eventually, ORGNR, type Creds, type TestNode } from '../factories.js';
import {
  addUser,
  AdminClient,
  csrfIn,
  loggedIn,
  PAPIRMOTTAKER,
  sendLetter,
  startAdminTestNode,
} from '../browser/support.js';

describe('admin web: failed and waiting jobs', () => {
  let t: TestNode;
  let creds: Creds;
  let admin: AdminClient;
  let scratch: string;

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'budbringer-jobs-'));
    // A print drop that is a regular file: every write into it fails (ENOTDIR).
    const notADirectory = join(scratch, 'print-drop');
    await writeFile(notADirectory, 'ikke en mappe');
    t = await startAdminTestNode([], { PRINT_DIR: notADirectory });
    creds = await t.sender('Jobbkommune', ORGNR);
    await addUser(t, 'admin', 'admin');
    await addUser(t, 'lokal', 'local-admin', 'Jobbkommune');
    admin = await loggedIn(t.url, 'admin');
  });
  after(async () => {
    await t.stop();
    await rm(scratch, { recursive: true, force: true });
  });

  /** A letter due for print (its own print job exists): any print job for it fails on the broken drop. */
  async function letterDueForPrint(): Promise<string> {
    const id = await sendLetter(t, creds, { mottaker: PAPIRMOTTAKER });
    await eventually(
      async () => ((await t.node.storage.jobs.state(`print:${id}`)) !== undefined ? true : undefined),
      20_000,
      'print job',
    );
    return id;
  }

  it('lists a failed print job with error and letter, retries and discards it, audited', async () => {
    // The letter's own print job retries with backoff; a second one with a single attempt
    // runs the same handler and fails for good on the same broken drop.
    const id = await letterDueForPrint();
    const jobs = t.node.storage.jobs;
    const jobId = `print:manuell-${id}`;
    await jobs.enqueue({ id: jobId, type: 'print', payload: { forsendelseId: id }, maxAttempts: 1 });
    await eventually(async () => ((await jobs.state(jobId)) === 'failed' ? true : undefined), 20_000, 'job failed');

    const page = await admin.get('/forvaltning/jobber');
    assert.equal(page.status, 200);
    assert.match(page.text, /<a href="\/forvaltning\/jobber" aria-current="page">Jobber<\/a>/);
    const failedTable = page.text.slice(page.text.indexOf('id="feilede"'), page.text.indexOf('Prøver igjen</h2>'));
    assert.match(failedTable, new RegExp(`<div class="hint">${jobId}</div>`));
    assert.match(failedTable, /Sende til print/);
    assert.match(failedTable, new RegExp(`href="/forvaltning/forsendelser/${id}"`), 'links the letter');
    assert.match(failedTable, /ENOTDIR|EEXIST|not a directory/i, 'shows the error');
    assert.match(failedTable, /1 av 1/);
    assert.match(page.text, /Feilet: 1 ·/);
    // The letter's own job waits for its next try with the same error.
    await eventually(
      async () => ((await admin.get('/forvaltning/jobber')).text.includes(`>print:${id}<`) ? true : undefined),
      20_000,
      'the retrying job listed',
    );

    const retried = await admin.post('/forvaltning/jobber/prov-igjen', { id: jobId });
    assert.equal(retried.status, 303);
    assert.equal(retried.location, '/forvaltning/jobber?ok=prov-igjen#melding');
    const after = await admin.get('/forvaltning/jobber?ok=prov-igjen');
    assert.match(after.text, /Jobben er lagt tilbake i køen og kjøres straks\./);
    // The drop is still broken: the retried job fails again.
    await eventually(async () => ((await jobs.state(jobId)) === 'failed' ? true : undefined), 20_000, 'failed again');

    const discarded = await admin.post('/forvaltning/jobber/forkast', { id: jobId });
    assert.equal(discarded.location, '/forvaltning/jobber?ok=forkastet#melding');
    assert.equal(await jobs.state(jobId), undefined);
    assert.doesNotMatch((await admin.get('/forvaltning/jobber')).text, new RegExp(`>${jobId}<`));
    const again = await admin.post('/forvaltning/jobber/forkast', { id: jobId });
    assert.equal(
      again.location,
      '/forvaltning/jobber?ok=borte#melding',
      'a job already gone is reported, not an error',
    );

    const log = await admin.get(`/forvaltning/revisjonslogg?objekt=${encodeURIComponent(jobId)}`);
    assert.match(log.text, /Prøvde feilet jobb igjen/);
    assert.match(log.text, /Forkastet feilet jobb/);
  });

  it('says when the list shows only part of the failed jobs, and puts them all back at once, audited', async () => {
    const id = await letterDueForPrint();
    const jobs = t.node.storage.jobs;
    const ids = Array.from({ length: 103 }, (_, i) => `print:mange-${i}-${id}`);
    for (const jobId of ids)
      await jobs.enqueue({ id: jobId, type: 'print', payload: { forsendelseId: id }, maxAttempts: 1 });
    await eventually(
      async () => ((await Promise.all(ids.map((j) => jobs.state(j)))).every((s) => s === 'failed') ? true : undefined),
      30_000,
      'all failed',
    );
    const page = await admin.get('/forvaltning/jobber');
    const failed = Number(/Feilet: (\d+) ·/.exec(page.text)?.[1]);
    assert.ok(failed >= 103, `${failed} failed`);
    // The page lists 100 (found in review: it said nothing of the rest).
    assert.match(page.text, new RegExp(`Viser de nyeste 100 av ${failed}\\.`));
    assert.match(page.text, new RegExp(`Prøv alle ${failed} igjen`));
    const all = await admin.post('/forvaltning/jobber/prov-alle-igjen', {});
    assert.equal(all.location, '/forvaltning/jobber?ok=prov-alle-igjen#melding');
    const log = await admin.get('/forvaltning/revisjonslogg');
    assert.match(log.text, new RegExp(`Prøvde alle feilede jobber igjen[\\s\\S]*?${failed} jobber`));
    // Back in the queue, they fail again on the broken drop; then the list is cleared by hand.
    await eventually(
      async () => ((await Promise.all(ids.map((j) => jobs.state(j)))).every((s) => s === 'failed') ? true : undefined),
      30_000,
      'failed again',
    );
    for (const jobId of ids) await jobs.discard(jobId);
  });

  it("shows on the letter's page, to whoever may see the letter, the work that waits for its next try and why", async () => {
    const id = await sendLetter(t, creds, { mottaker: PAPIRMOTTAKER });
    await eventually(
      async () => ((await t.node.storage.jobs.listed(`print:${id}`))?.lastError !== undefined ? true : undefined),
      20_000,
      'the print job failed once',
    );
    for (const user of [admin, await loggedIn(t.url, 'lokal')]) {
      const page = await user.get(`/forvaltning/forsendelser/${id}`);
      assert.equal(page.status, 200);
      const section = page.text.slice(page.text.indexOf('id="h-venter"'), page.text.indexOf('id="h-historikk"'));
      assert.match(section, /Venter på nytt forsøk/);
      assert.match(section, /Sende til print<\/strong>: forsøk 1 av \d+ feilet; neste forsøk \d\d\.\d\d\.\d{4}/);
      assert.match(section, /ENOTDIR|EEXIST|not a directory/i, 'the error of the last try');
    }
    // A letter whose work went through shows no such section: one to an organisation's inbox.
    const other = await sendLetter(t, creds, {
      mottaker: { ...PAPIRMOTTAKER, digitalAdresse: { organisasjonsNummer: ORGNR } },
    });
    await eventually(
      async () => {
        const status = (await t.node.storage.readModel.get(other))?.status;
        return status !== undefined && status !== 'MOTTATT' && status !== 'AKSEPTERT' ? true : undefined;
      },
      20_000,
      'the inbox letter delivered',
    );
    assert.doesNotMatch((await admin.get(`/forvaltning/forsendelser/${other}`)).text, /Venter på nytt forsøk/);
  });

  it('refuses the page and its actions to a local admin, and an action without CSRF token', async () => {
    const lokal = await loggedIn(t.url, 'lokal');
    assert.equal((await lokal.get('/forvaltning/jobber')).status, 403);
    assert.doesNotMatch((await lokal.get('/forvaltning/forsendelser')).text, /href="\/forvaltning\/jobber"/);
    const token = csrfIn((await lokal.get('/forvaltning/forsendelser')).text);
    assert.equal((await lokal.post('/forvaltning/jobber/prov-igjen', { id: 'print:x' }, token)).status, 403);
    assert.equal((await lokal.post('/forvaltning/jobber/prov-alle-igjen', {}, token)).status, 403);
    assert.equal((await admin.post('/forvaltning/jobber/forkast', { id: 'print:x' }, null)).status, 403);
  });
});
