/**
 * What an on-call person reads (issue #18): one access-log line per request with method,
 * route pattern, status, ms and avsender, ISO timestamps, and no personal data; and the
 * metrics — HTTP requests by route and status, notifications sent, KRR lookups and their
 * latency, print lag, the age of the longest-waiting job, free space of DATA_DIR.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createAvsender } from '../../src/app/accounts.js';
import { createLogger } from '../../src/composition/logging.js';
import { startNode, type BudbringerNode } from '../../src/composition/node.js';
import { loadSettings } from '../../src/config/load-settings.js';
import {
  basic,
  eventually,
  FNR,
  letterPdf,
  restForsendelse,
  restSend,
  waitForStatus,
  type Creds,
} from '../factories.js';

/** `name{labels} value` samples of the exposition whose labels include `labels`, summed. */
function sampleSum(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (m?.[1] !== name) continue;
    const have = Object.fromEntries(
      [...(m[2] ?? '').matchAll(/([a-zA-Z_]+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) sum += Number(m[3]);
  }
  return sum;
}

describe('access log and operations metrics', () => {
  let dir: string;
  let node: BudbringerNode;
  let creds: Creds;
  const lines: string[] = [];
  const scrape = async () => (await fetch(`${node.url}/metrics`)).text();

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-ops-'));
    const krr = join(dir, 'krr.json');
    const person = { personidentifikator: FNR[0], reservasjon: 'NEI', status: 'AKTIV' };
    await writeFile(
      krr,
      JSON.stringify({ personer: [{ ...person, kontaktinformasjon: { epostadresse: 'kari@example.no' } }] }),
    );
    const settings = loadSettings([join(import.meta.dirname, '..', '..', 'config', 'default.json')], {
      DATA_DIR: join(dir, 'data'),
      PORT: '0',
      HOST: '127.0.0.1',
      JOB_POLL_MS: '50',
      KRR_FILE: krr,
    });
    node = await startNode(settings, createLogger('info', { write: (line: string) => void lines.push(line) }));
    const { servicePassword } = await createAvsender(node.storage.config, { navn: 'Opskommune', now: Date.now() });
    creds = { user: 'Opskommune', password: servicePassword };
  });
  after(async () => {
    await node?.close();
    await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  it('logs one line per request with the route pattern, status, ms and avsender, and nothing personal', async () => {
    const pdf = await letterPdf();
    const sent = await restSend(node.url, creds, restForsendelse(), [{ filename: 'brev.pdf', bytes: pdf }]);
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    const id = sent.body.id as string;
    const status = await fetch(`${node.url}/tjenester/api/forsendelse/v1/${id}/status`, {
      headers: { authorization: basic(creds) },
    });
    assert.equal(status.status, 200);
    const wrong = await fetch(`${node.url}/tjenester/api/forsendelse/v1/${id}/status`, {
      headers: { authorization: basic({ user: FNR[2], password: 'feil' }) },
    });
    assert.equal(wrong.status, 401);
    assert.equal((await fetch(`${node.url}/innboks/${FNR[1]}?fnr=${FNR[1]}`)).status >= 400, true);
    assert.equal((await fetch(`${node.url}/finnes/ikke/${FNR[1]}`)).status, 404);

    const access = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'request');
    const find = (method: string, route: string, code: number) =>
      access.filter((l) => l.method === method && l.route === route && l.status === code);
    const send = find('POST', '/tjenester/api/forsendelse/v1/sendForsendelse', 200);
    assert.equal(send.length, 1, JSON.stringify(access));
    assert.equal(send[0]?.avsender, 'Opskommune');
    assert.equal(typeof send[0]?.ms, 'number');
    assert.match(String(send[0]?.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, 'ISO timestamp');
    assert.equal(find('GET', '/tjenester/api/forsendelse/v1/:id/status', 200)[0]?.avsender, 'Opskommune');
    // Refused by the door's login middleware, before any route: its pattern is the door's.
    const refused = find('GET', '/tjenester/api/forsendelse/v1/*', 401);
    assert.equal(refused.length, 1, JSON.stringify(access));
    assert.equal(refused[0]?.avsender, undefined, 'a refused login names no one');
    assert.equal(find('GET', '/innboks/:token', 404).length + find('GET', '/innboks/:token', 400).length, 1);
    assert.equal(find('GET', '(ingen rute)', 404).length, 1);
    const text = access.map((l) => JSON.stringify(l)).join('\n');
    assert.doesNotMatch(text, new RegExp(id), 'no letter id from a path');
    for (const fnr of FNR) assert.ok(!text.includes(fnr), 'no fødselsnummer');
    // Every line of the node carries an ISO time.
    for (const l of lines) assert.match(String((JSON.parse(l) as { time: unknown }).time), /T.*Z$/);
  });

  it('exposes HTTP, notification, KRR, print lag, queue age and disk metrics', async () => {
    const pdf = await letterPdf();
    const digital = await restSend(node.url, creds, restForsendelse(), [{ filename: 'brev.pdf', bytes: pdf }]);
    const paper = await restSend(
      node.url,
      creds,
      restForsendelse({
        mottaker: {
          postAdresse: { navn: 'Per', adresse1: 'Vei 2', postNummer: '9008', postSted: 'Tromsø' },
          digitalAdresse: { fodselsNummer: FNR[1] },
        },
      }),
      [{ filename: 'brev.pdf', bytes: pdf }],
    );
    await waitForStatus(node.url, creds, digital.body.id as string, ['VARSLET']);
    await waitForStatus(node.url, creds, paper.body.id as string, ['SENDT_PRINT']);
    // A job no worker has a handler for waits: the queue's age gauge shows it.
    await node.storage.jobs.enqueue({ id: 'ops-test:1', type: 'ingen-handler', payload: null });
    await new Promise((resolve) => setTimeout(resolve, 1100));

    const text = await eventually(
      async () => {
        const t = await scrape();
        return sampleSum(t, 'budbringer_notifications_total', { kanal: 'epost', outcome: 'sent' }) >= 1 ? t : undefined;
      },
      15_000,
      'the notification counted',
    );
    assert.ok(
      sampleSum(text, 'budbringer_http_requests_total', {
        method: 'POST',
        route: '/tjenester/api/forsendelse/v1/sendForsendelse',
        status: '200',
      }) >= 3,
    );
    assert.ok(
      sampleSum(text, 'budbringer_http_request_duration_seconds_count', {
        route: '/tjenester/api/forsendelse/v1/sendForsendelse',
      }) >= 3,
    );
    assert.ok(sampleSum(text, 'budbringer_krr_lookup_duration_seconds_count', { outcome: 'found' }) >= 1);
    assert.ok(sampleSum(text, 'budbringer_krr_lookup_duration_seconds_count', { outcome: 'not_found' }) >= 1);
    assert.ok(sampleSum(text, 'budbringer_print_oldest_unprinted_seconds') >= 1, 'print lag of the unreceipted letter');
    assert.ok(sampleSum(text, 'budbringer_job_oldest_waiting_seconds') >= 1, 'age of the waiting job');
    const free = sampleSum(text, 'budbringer_data_dir_free_bytes');
    assert.ok(free > 0 && free <= sampleSum(text, 'budbringer_data_dir_size_bytes'));
    assert.doesNotMatch(text, new RegExp(digital.body.id as string));
    for (const fnr of FNR) assert.ok(!text.includes(fnr), 'no fødselsnummer in the metrics');
    await node.storage.jobs.cancel('ops-test:1');
  });
});

describe('/metrics in the image (METRICS_REQUIRE_TOKEN)', () => {
  it('is absent without METRICS_TOKEN and wants the bearer token with it', async () => {
    const { startTestNode } = await import('../factories.js');
    const bare = await startTestNode({ METRICS_REQUIRE_TOKEN: 'true' });
    try {
      assert.equal((await fetch(`${bare.url}/metrics`)).status, 404);
    } finally {
      await bare.stop();
    }
    const token = 'et-token-for-metrikker-123456';
    const guarded = await startTestNode({ METRICS_REQUIRE_TOKEN: 'true', METRICS_TOKEN: token });
    try {
      assert.equal((await fetch(`${guarded.url}/metrics`)).status, 401);
      const ok = await fetch(`${guarded.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(ok.status, 200);
      assert.match(await ok.text(), /budbringer_http_requests_total/);
    } finally {
      await guarded.stop();
    }
  });
});
