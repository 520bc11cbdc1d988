/**
 * Webhooks survive kill -9 (issue 16): the node is killed while it is posting a stream of
 * events to a slow receiver; after a restart the receiver has every event of every letter
 * the journal holds, each letter's events in order (a repeat of an event whose answer was
 * not yet recorded is allowed: at least once).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createAvsender } from '../../src/app/accounts.js';
import { letterCloudEvents } from '../../src/app/webhooks/cloud-events.js';
import { openStorage } from '../../src/composition/storage.js';
import { loadSettings } from '../../src/config/load-settings.js';
import { eventually, letterPdf, restCall, restForsendelse, restSend, type Creds } from '../factories.js';
import { startNodeProcess, type NodeProcess } from '../node-process.js';
import { startWebhookReceiver, type WebhookReceiver } from '../webhook-receiver.js';

const LETTERS = 12;
const SECRET = 'kill9-hemmelighet-som-er-lang-nok-0000';
const ENV = {
  WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
  WEBHOOK_POLL_MS: '50',
  WEBHOOK_BACKOFF_MS: '100',
  WEBHOOK_MAX_BACKOFF_MS: '500',
  WEBHOOK_CONCURRENCY: '4',
  // Deliveries the killed node had claimed are taken again after 3 × this.
  WEBHOOK_TIMEOUT_MS: '2000',
  JOB_POLL_MS: '50',
};

describe('webhooks: kill -9 mid-stream', () => {
  let dataDir: string;
  let creds: Creds;
  let receiver: WebhookReceiver;
  let proc: NodeProcess | undefined;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'budbringer-webhook-kill9-'));
    const storage = await openStorage(loadSettings([], { DATA_DIR: dataDir }));
    const { servicePassword } = await createAvsender(storage.config, { navn: 'Krasjkommune', now: Date.now() });
    await storage.close();
    creds = { user: 'Krasjkommune', password: servicePassword };
    receiver = await startWebhookReceiver(0, 60);
  });
  after(async () => {
    if (proc !== undefined && proc.child.exitCode === null) await proc.kill9();
    await receiver.close();
    await rm(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  it('loses no event and keeps each letter in order', { timeout: 180_000 }, async () => {
    proc = await startNodeProcess({ DATA_DIR: dataDir, ...ENV });
    const first = proc;
    const sub = await restCall(first.url, creds, '/abonnementer', { json: { url: receiver.url, secret: SECRET } });
    assert.equal(sub.status, 201, JSON.stringify(sub.body));
    const pdf = await letterPdf();
    const ids: string[] = [];
    for (let i = 0; i < LETTERS; i++) {
      const r = await restSend(first.url, creds, restForsendelse({ tittel: `Brev ${i}` }), [
        { filename: 'brev.pdf', bytes: pdf },
      ]);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      ids.push(r.body.id as string);
    }
    await eventually(async () => (receiver.received.length >= 8 ? true : undefined), 30_000, 'the stream to start');
    await first.kill9();
    const beforeKill = receiver.received.length;

    proc = await startNodeProcess({ DATA_DIR: dataDir, ...ENV });
    const storage = await openStorage(loadSettings([], { DATA_DIR: dataDir }));
    try {
      const expected = async (): Promise<Map<string, string[]>> => {
        const map = new Map<string, string[]>();
        for (const id of ids) {
          const events = letterCloudEvents(await storage.journal.read(`forsendelse:${id}`, 0), '').events;
          map.set(
            id,
            events.map((e) => e.id),
          );
        }
        return map;
      };
      const firstArrivals = (id: string): string[] => {
        const seen = new Set<string>();
        return receiver.received
          .filter((e) => e.event.subject === id && !seen.has(e.event.id) && seen.add(e.event.id))
          .map((e) => e.event.id);
      };
      await eventually(
        async () => {
          const want = await expected();
          // Settled: the delivery work of every letter has run (at least Mottatt, Akseptert, KanalValgt).
          if ([...want.values()].some((w) => w.length < 3)) return undefined;
          return [...want].every(([id, w]) => JSON.stringify(firstArrivals(id)) === JSON.stringify(w))
            ? true
            : undefined;
        },
        60_000,
        'every event of every letter after the restart',
      );
      assert.ok(beforeKill < receiver.received.length, 'the restarted node delivered the rest');
      for (const id of ids) {
        const seqs = receiver.received
          .filter((e) => e.event.subject === id)
          .map((e) => e.event.data.sekvensnummer as number);
        // In order: each event comes after every lower one; only a repeat of the latest may recur.
        for (let i = 1; i < seqs.length; i++)
          assert.ok((seqs[i] as number) >= (seqs[i - 1] as number), `${id} in order: ${seqs.join(',')}`);
      }
      assert.ok(receiver.allSigned(SECRET));
    } finally {
      await storage.close();
      await proc.stop();
    }
  });
});
