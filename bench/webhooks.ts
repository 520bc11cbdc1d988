/**
 * Webhook delivery figures (issue 16), separate from `npm run bench`:
 *
 *   npx tsx bench/webhooks.ts [--letters 300] [--latency 40]
 *
 * 1. **Throughput**: LETTERS letters are sent and settle with no subscription; the node
 *    stops; a subscription dated before them is put in the store; the node starts again and
 *    drains the whole backlog (journal scan + signed POSTs) to a receiver on loopback that
 *    answers 204 at once. Events per second = events / (last arrival − first arrival).
 * 2. **Delay**: with the subscription live (default settings: WEBHOOK_POLL_MS 500), letters
 *    are sent one every 250 ms; per event, arrival − the event's `time` (the moment the
 *    status changed, same clock). p50 / p95 / max.
 *
 * The node is a child process (bench/lib/node-child.ts), embedded mode; the receiver runs in
 * this process. On a shared 2-core machine the figures are noisy. Prints one JSON line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createAvsender } from '../src/app/accounts.js';
import { openStorage } from '../src/composition/storage.js';
import { loadSettings } from '../src/config/load-settings.js';
import { startWebhookReceiver } from '../test/webhook-receiver.js';
import { restCall, restForsendelse, restSend } from '../test/factories.js';
import { letterPool, uniqueLetter } from './lib/letters.js';
import { startNode } from './lib/node-child.js';

const { values } = parseArgs({
  options: { letters: { type: 'string', default: '300' }, latency: { type: 'string', default: '40' } },
});
const LETTERS = Number(values.letters);
const LATENCY_LETTERS = Number(values.latency);
const ROOT = join(import.meta.dirname, '..');
const log = (s: string): void => void process.stderr.write(`${s}\n`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
};

const dataDir = mkdtempSync(join(tmpdir(), 'budbringer-bench-webhooks-'));
const env = { DATA_DIR: dataDir, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' };
try {
  const storage0 = await openStorage(loadSettings([], { DATA_DIR: dataDir }));
  const { servicePassword } = await createAvsender(storage0.config, { navn: 'Benchkommune', now: Date.now() });
  await storage0.close();
  const creds = { user: 'Benchkommune', password: servicePassword };
  const pool = await letterPool(4, join(ROOT, 'bench', 'out'));

  // 1. The backlog.
  const subscriptionTime = Date.now() - 1000;
  let node = await startNode(env);
  log(`sending ${LETTERS} letters…`);
  const ids: string[] = [];
  const send = async (n: number): Promise<void> => {
    const r = await restSend(node.url, creds, restForsendelse({ tittel: `Brev ${n}` }), [
      { filename: 'brev.pdf', bytes: uniqueLetter(pool, n, 'wh') },
    ]);
    if (r.status !== 200) throw new Error(`send ${n}: ${r.status} ${JSON.stringify(r.body)}`);
    ids.push(r.body.id as string);
  };
  for (let i = 0; i < LETTERS; i += 8)
    await Promise.all(Array.from({ length: Math.min(8, LETTERS - i) }, (_, k) => send(i + k)));
  // Let the delivery work (compose, route, print) settle: no letter still waiting for it.
  for (;;) {
    const r = await restCall(node.url, creds, '/statuser', { json: ids });
    const busy = (r.body.statuser as { status: string }[]).filter((x) => ['MOTTATT', 'AKSEPTERT'].includes(x.status));
    if (busy.length === 0) break;
    await sleep(500);
  }
  await sleep(1000);
  await node.stop();
  const receiver = await startWebhookReceiver();
  const storage = await openStorage(loadSettings([], { DATA_DIR: dataDir }));
  await storage.webhooks.createSubscription({
    id: '00000000-0000-4000-8000-00000000be0c',
    avsender: 'Benchkommune',
    url: receiver.url,
    secret: 'bench-hemmelighet-som-er-lang-nok',
    createdAt: subscriptionTime,
    scannedUntil: subscriptionTime,
  });
  await storage.close();
  log('draining the backlog…');
  const started = Date.now();
  node = await startNode(env);
  let last = -1;
  let stableSince = Date.now();
  while (Date.now() - stableSince < 3000) {
    await sleep(200);
    if (receiver.received.length !== last) {
      last = receiver.received.length;
      stableSince = Date.now();
    }
  }
  const events = receiver.received.length;
  const first = receiver.received[0]?.at ?? NaN;
  const lastAt = receiver.received.at(-1)?.at ?? NaN;
  const backlog = {
    letters: LETTERS,
    events,
    events_per_s: Math.round((events / Math.max(1, lastAt - first)) * 1000),
    node_start_to_last_event_ms: lastAt - started,
  };
  log(JSON.stringify(backlog));

  // 2. Delay from status change to delivery, subscription live.
  receiver.received.length = 0;
  log(`delay: ${LATENCY_LETTERS} letters, one every 250 ms…`);
  for (let i = 0; i < LATENCY_LETTERS; i++) {
    await send(LETTERS + i);
    await sleep(250);
  }
  await sleep(5000);
  const delays = receiver.received.map((r) => r.at - Date.parse(r.event.time as string));
  const delay = {
    events: delays.length,
    p50_ms: quantile(delays, 0.5),
    p95_ms: quantile(delays, 0.95),
    max_ms: Math.max(...delays),
    poll_ms: 500,
  };
  await node.stop();
  await receiver.close();
  const after = await openStorage(loadSettings([], { DATA_DIR: dataDir }));
  const outbox: Record<string, number> = {};
  for (const state of ['pending', 'delivered', 'failed'] as const)
    outbox[state] = (
      await after.webhooks.listDeliveries({
        subscriptionId: '00000000-0000-4000-8000-00000000be0c',
        state,
        limit: 0,
        offset: 0,
      })
    ).total;
  await after.close();
  log(`outbox after the run: ${JSON.stringify(outbox)}`);
  process.stdout.write(
    `${JSON.stringify({ backlog, delay, outbox, cpus: (await import('node:os')).cpus().length })}\n`,
  );
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
