/**
 * Each letter is composed once, for the file its channel needs (docs/architecture.md step 4):
 * the compose job chooses the channel before it composes and records it with the acceptance.
 * A letter that goes on paper at once gets its print copy (whose cover says why) and no inbox
 * copy; a digital letter gets the inbox copy and no print copy; neither runs a route job.
 * When KRR cannot be reached at acceptance, the inbox copy is built and the route job
 * chooses the channel once KRR answers. KRR here is a stand-in for Digdir's lookup API
 * (POST /rest/v1/personer, docs.digdir.no "Oppslagstjenesten REST"), on loopback.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SqliteJobQueue } from '../../src/storage/sqlite/index.js';
import {
  eventually,
  FNR,
  restCall,
  sendToPerson,
  startTestNode,
  waitForStatus,
  type Creds,
  type TestNode,
} from '../factories.js';
import { startKrrStandIn, type KrrStandIn } from '../support/krr-stand-in.js';
import { firstPageText } from '../unit/pdf/pdf-text.js';

const [AKTIV, RESERVERT] = FNR;
const TOKEN = 'krr-test-token';

describe('each letter is composed once, for the file its channel needs', () => {
  // AKTIV is registered with e-mail, RESERVERT has reserved; while `down`, KRR answers 503.
  let down = false;
  let krr: KrrStandIn;
  let dir: string;
  let t: TestNode;
  let creds: Creds;
  let jobs: SqliteJobQueue;
  before(async () => {
    krr = await startKrrStandIn({
      token: TOKEN,
      persons: {
        [AKTIV]: { reservasjon: 'NEI', status: 'AKTIV', kontaktinformasjon: { epostadresse: 'kari@example.no' } },
        [RESERVERT]: { reservasjon: 'JA', status: 'AKTIV' },
      },
      fault: () => (down ? { status: 503, body: '{"error":"Service Unavailable"}' } : undefined),
    });
    dir = await mkdtemp(join(tmpdir(), 'budbringer-compose-once-'));
    t = await startTestNode(
      { KRR_URL: `${krr.base}/rest/v1/personer`, KRR_TOKEN: TOKEN, PRINT_DIR: join(dir, 'print') },
      join(dir, 'data'),
    );
    creds = await t.sender('Komponeringskommune');
    assert.ok(t.node.storage.jobs instanceof SqliteJobQueue, 'the embedded queue');
    jobs = t.node.storage.jobs;
  });
  after(async () => {
    await t.stop();
    await krr.close();
    await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  const send = (fnr: string): Promise<string> =>
    sendToPerson(t.url, creds, fnr, { navn: 'Ola Papir', adresse1: 'Gata 2', postNummer: '5003', postSted: 'Bergen' });
  const historikk = async (id: string): Promise<string[]> =>
    ((await restCall(t.url, creds, `/${id}/historikk`)).body.hendelsesLogger as { hendelse: string }[]).map(
      (h) => h.hendelse,
    );

  it('a letter that goes on paper at once: its print copy is the one file, and no route job runs', async () => {
    const id = await send(RESERVERT);
    await waitForStatus(t.url, creds, id, 'SENDT_PRINT');
    const state = await t.node.actors.state(id);
    assert.equal(state?.forsendelsesfil, undefined, 'no inbox copy');
    assert.ok(state?.printfil !== undefined, 'the print copy');
    // The copy handed to print is the one built on acceptance, and its cover says why it came on paper.
    const printed = await readFile(join(dir, 'print', `${id}.pdf`));
    assert.equal(createHash('sha256').update(printed).digest('hex'), state.printfil.sha256);
    assert.match((await firstPageText(printed)).replace(/\s+/g, ' '), /Brevet kunne ikke leveres digitalt til deg/);
    assert.equal(await jobs.state(`compose:${id}`), 'completed');
    assert.equal(await jobs.state(`route:${id}`), undefined, 'the channel came with the acceptance');
    const lines = await historikk(id);
    const accepted = lines.indexOf('Akseptert for ekspedering');
    assert.equal(lines[accepted - 1], 'Forsendelsesfil generert');
    assert.match(lines[accepted + 1] ?? '', /reservert.*sendes til print/i);
  });

  it('a digital letter: the inbox copy only, notified without a route job', async () => {
    const id = await send(AKTIV);
    await waitForStatus(t.url, creds, id, 'VARSLET');
    const state = await t.node.actors.state(id);
    assert.ok(state?.forsendelsesfil !== undefined, 'the inbox copy');
    assert.equal(state.printfil, undefined, 'no print copy until it goes on paper');
    assert.doesNotMatch(
      (await firstPageText(await t.node.storage.blobs.get(state.forsendelsesfil.sha256))).replace(/\s+/g, ' '),
      /ikke ble åpnet digitalt/,
    );
    assert.equal(await jobs.state(`route:${id}`), undefined);
  });

  it('KRR unreachable at acceptance: the inbox copy is built, and the route job chooses once KRR answers', async () => {
    down = true;
    try {
      const start = krr.requests.length;
      const id = await send(AKTIV);
      const accepted = await eventually(async () => {
        const s = await t.node.actors.state(id);
        return s?.status === 'AKSEPTERT' ? s : undefined;
      });
      assert.ok(accepted.forsendelsesfil !== undefined, 'built while the channel is not known');
      assert.equal(accepted.kanal, undefined);
      const failed = await eventually(async () => jobs.lastError(`route:${id}`), 15_000, 'a failed route attempt');
      assert.match(failed, /KRR|503|kontaktregister/i);
      assert.ok(krr.requests.length - start >= 2, 'the compose job asked KRR, then the route job');
      assert.equal((await t.node.actors.state(id))?.kanal, undefined, 'no channel while KRR is down');
      down = false;
      await waitForStatus(t.url, creds, id, 'VARSLET', 30_000);
      assert.equal(await jobs.state(`route:${id}`), 'completed');
      assert.equal((await t.node.actors.state(id))?.printfil, undefined);
    } finally {
      down = false;
    }
  });
});
