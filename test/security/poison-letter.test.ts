/**
 * One bad letter must not block the others (issue #13, item 3). A poison letter — one whose
 * compose job throws on every attempt — ends visibly failed after its retries (AVVIST with
 * the reason in its history, its job `failed` in the queue, the failed runs in /metrics),
 * while 100 ordinary letters sent right after it all reach AKSEPTERT or later. The poison is
 * real storage damage, not a mock: the stored copy of the poison's document is made corrupt
 * on disk after its 200, which is what bit rot or a broken disk does to an acknowledged
 * letter. It is sent to a web-only node on the same DATA_DIR (no job runs there), and the
 * damage done before the full node starts, so no compose reads the good copy first. (Until 8
 * December 2026 the corrupt copy was planted before the upload and the store kept it; a put
 * now replaces what is at its address, as the copy there may be damaged.)
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SqliteJobQueue } from '../../src/storage/sqlite/index.js';
import {
  ACCEPTED_OR_LATER,
  letterPdf,
  restCall,
  restForsendelse,
  restSend,
  startTestNode,
  waitForStatus,
} from '../factories.js';
import { makeLetterPdf } from '../fixtures/index.js';
import { acknowledgeBaseline, assertStillSound, type HostileNode } from './support.js';

const ORDINARY_LETTERS = 100;

describe('a poison letter', () => {
  let h: HostileNode;
  let dataDir: string;
  before(async () => {
    // A DATA_DIR of the test's own: it outlives the node, which is restarted on it.
    dataDir = await mkdtemp(join(tmpdir(), 'budbringer-poison-'));
    const t = await startTestNode({}, dataDir);
    const creds = await t.sender('Ærlig kommune', '974760673');
    h = { t, creds, baseline: await acknowledgeBaseline(t.url, creds) };
  });
  after(async () => {
    await h.t.stop();
    await rm(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  it('ends AVVIST with its job failed after its retries, while 100 ordinary letters sent after it are all accepted', async (t) => {
    const poisonPdf = await makeLetterPdf({ seed: 1313, title: 'Giftbrev' });
    const sha = createHash('sha256').update(poisonPdf).digest('hex');
    await h.t.stop();
    const web = await startTestNode({ BUDBRINGER_ROLES: 'web' }, dataDir);
    const poison = await restSend(web.url, h.creds, restForsendelse({ tittel: 'Giftbrev' }), [
      { filename: 'brev.pdf', bytes: poisonPdf },
    ]);
    await web.stop();
    assert.equal(poison.status, 200, JSON.stringify(poison.body));
    const poisonId = String(poison.body.id);
    const stored = join(dataDir, 'blobs', sha.slice(0, 2), sha.slice(2, 4), sha);
    await writeFile(stored, 'Denne filen var en PDF før disken ble ødelagt.\n');
    h = { ...h, t: await startTestNode({}, dataDir) };

    const started = performance.now();

    const letter = await letterPdf();
    const ids: string[] = [];
    for (let i = 0; i < ORDINARY_LETTERS; i += 10) {
      const batch = await Promise.all(
        Array.from({ length: 10 }, (_, j) =>
          restSend(h.t.url, h.creds, restForsendelse({ tittel: `Vanlig brev ${i + j}` }), [
            { filename: 'brev.pdf', bytes: letter },
          ]),
        ),
      );
      for (const sent of batch) {
        assert.equal(sent.status, 200, JSON.stringify(sent.body));
        ids.push(String(sent.body.id));
      }
    }
    const sentMs = performance.now() - started;
    for (const id of ids) await waitForStatus(h.t.url, h.creds, id, ACCEPTED_OR_LATER, 180_000);
    const acceptedMs = performance.now() - started;
    await waitForStatus(h.t.url, h.creds, poisonId, 'AVVIST', 60_000);
    const poisonMs = performance.now() - started;
    const report =
      `${ORDINARY_LETTERS} ordinary letters sent in ${Math.round(sentMs)} ms and all AKSEPTERT or later after ` +
      `${Math.round(acceptedMs)} ms; the poison letter AVVIST after ${Math.round(poisonMs)} ms`;
    t.diagnostic(report);
    console.log(`poison-letter: ${report}`);

    const historikk = await restCall(h.t.url, h.creds, `/${poisonId}/historikk`);
    assert.equal(historikk.status, 200);
    assert.match(JSON.stringify(historikk.body), /Forsendelsesfil kunne ikke dannes/, 'the history says why');
    // The damage is found by the stored copy's SHA-256, not blamed on the sender's PDF.
    assert.match(JSON.stringify(historikk.body), /lagret dokument er skadet/);

    const jobs = h.t.node.storage.jobs;
    assert.ok(jobs instanceof SqliteJobQueue, 'the embedded queue (keeps the last error)');
    assert.equal(await jobs.state(`compose:${poisonId}`), 'failed', 'the poison job is failed in the queue');
    assert.match(
      (await jobs.lastError(`compose:${poisonId}`)) ?? '',
      /Forsendelsesfil kunne ikke dannes.*\(forsøk 3 av 3\)/,
    );
    assert.equal(await jobs.state(`compose:${ids[0]}`), 'completed');

    const metrics = await (await fetch(`${h.t.url}/metrics`)).text();
    const failedRuns = /budbringer_job_runs_total\{type="compose",outcome="failed"\} (\d+)/.exec(metrics);
    assert.ok(failedRuns !== null && Number(failedRuns[1]) >= 3, `failed compose runs in /metrics: ${failedRuns?.[0]}`);
    const failedJobs = /budbringer_jobs\{state="failed"\} (\d+)/.exec(metrics);
    assert.ok(failedJobs !== null && Number(failedJobs[1]) >= 1, `failed jobs in /metrics: ${failedJobs?.[0]}`);

    await assertStillSound(h);
  });
});
