/**
 * SvarInn in a cluster (issue #15): two node processes share the storage (one DATA_DIR, or
 * MongoDB) and Redis. Letters are sent round-robin; the receiver of svarinn-receiver.ts
 * polls one node and downloads, acknowledges and reports failures on the other, as a load
 * balancer would spread its calls. Every letter decrypts to the bytes sent, and every node
 * agrees on what is still listed.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createAvsender } from '../../src/app/accounts.js';
import { MottakersystemService } from '../../src/app/mottakersystemer.js';
import { openStorage } from '../../src/composition/storage.js';
import { loadSettings } from '../../src/config/load-settings.js';
import { BullmqJobQueue } from '../../src/storage/bullmq/index.js';
import { SvarInnReceiver } from '../e2e/svarinn-receiver.js';
import { eventually, restCall, restForsendelse, restSend, type Creds } from '../factories.js';
import { makeLetterPdf } from '../fixtures/letter-pdf.js';
import { startNodeProcess, type NodeProcess } from '../node-process.js';
import { makeOpensslIdentity, type OpensslIdentity } from '../support/openssl.js';
import { redisAnswers } from './cluster-support.js';
import { mongoBackend, sqliteBackend, type Backend } from './cluster-backends.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const ORG = '923456783';
const LETTERS = 6;
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

for (const backend of [sqliteBackend, mongoBackend]) svarInnClusterSuite(backend);

function svarInnClusterSuite(backend: Backend): void {
  void describe(`cluster: SvarInn across two nodes on ${backend.name} and one Redis`, () => {
    const prefix = `budbringer-svarinn-cluster-${process.pid}-${Date.now()}`;
    let dir: string;
    let stopBackend = async (): Promise<void> => {};
    let storageEnv: Record<string, string> = {};
    let creds: Creds;
    let key: OpensslIdentity;
    let system: { id: string; password: string };
    const nodes: NodeProcess[] = [];

    before(async () => {
      assert.ok(await redisAnswers(), 'Redis answers nothing on 127.0.0.1:6379: the cluster test needs it');
      dir = await mkdtemp(join(tmpdir(), 'budbringer-svarinn-cluster-'));
      const started = await backend.start();
      stopBackend = started.stop;
      storageEnv = { DATA_DIR: join(dir, 'data'), REDIS_URL, QUEUE_PREFIX: prefix, ...started.env };
      key = makeOpensslIdentity('/CN=Klyngearkiv');
      const storage = await openStorage(loadSettings([], storageEnv));
      try {
        const { servicePassword } = await createAvsender(storage.config, { navn: 'Klyngekommune', now: Date.now() });
        creds = { user: 'Klyngekommune', password: servicePassword };
        const registered = await new MottakersystemService({
          register: storage.mottakersystemer,
          now: Date.now,
        }).create({
          navn: 'Klyngearkiv',
          orgnr: ORG,
          sertifikat: key.certificatePem,
        });
        system = { id: registered.system.id, password: registered.servicePassword };
      } finally {
        await storage.close();
      }
      nodes.push(
        ...(await Promise.all([0, 1].map(() => startNodeProcess({ ...storageEnv, JOB_POLL_MS: '50' }, 60_000)))),
      );
    });

    after(async () => {
      for (const node of nodes) if (node.child.exitCode === null && node.child.signalCode === null) await node.stop();
      const queue = new BullmqJobQueue({ connection: REDIS_URL, prefix });
      await queue.obliterate();
      await queue.close();
      key?.cleanup();
      await stopBackend();
      await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
    });

    void it(
      'lists on one node, downloads, acknowledges and fails receipts on the other',
      { timeout: 180_000 },
      async () => {
        const [first, second] = nodes as [NodeProcess, NodeProcess];
        const receiverOn = (node: NodeProcess) =>
          new SvarInnReceiver({
            baseUrl: node.url,
            id: system.id,
            password: system.password,
            keyPath: key.keyPath,
            certPath: key.certPath,
          });
        const one = receiverOn(first);
        const two = receiverOn(second);
        const sent = new Map<string, string>();
        for (let i = 0; i < LETTERS; i++) {
          const pdf = await makeLetterPdf({ seed: 300 + i });
          const json = restForsendelse({
            mottaker: {
              postAdresse: { navn: 'Klyngearkiv', adresse1: 'Postboks 1', postNummer: '5003', postSted: 'Bergen' },
              digitalAdresse: { organisasjonsNummer: ORG },
            },
          });
          const r = await restSend((i % 2 === 0 ? first : second).url, creds, json, [
            { filename: 'brev.pdf', bytes: pdf },
          ]);
          assert.equal(r.status, 200, JSON.stringify(r.body));
          sent.set(r.body.id as string, sha(pdf));
        }
        const list = await eventually(
          async () => {
            const polled = await one.poll();
            return polled.list.filter((f) => sent.has(f.id)).length === LETTERS ? polled.list : undefined;
          },
          60_000,
          'every letter listed',
        );
        const ids = list.map((f) => f.id);
        for (const f of list) {
          // The downloadUrl names the first node; the load balancer sends the call to the second.
          const got = await two.download({ ...f, downloadUrl: f.downloadUrl.replace(first.url, second.url) });
          assert.deepEqual(
            got.files.map((x) => sha(x.bytes)),
            [sent.get(f.id)],
          );
        }
        const [temporary, permanent, ...acknowledged] = ids as [string, string, ...string[]];
        for (const id of acknowledged) assert.equal(await two.kvitter(id), 200);
        assert.equal(await one.kvitter(acknowledged[0] as string), 200, 'a repeat on the other node is a 200 too');
        assert.equal(await two.feilet(temporary, 'Midlertidig feil', false), 200);
        assert.equal(await one.feilet(permanent, 'Permanent feil', true), 200);
        for (const id of acknowledged) {
          assert.equal((await restCall(first.url, creds, `/${id}/status`)).body.status, 'LEST');
        }
        await eventually(
          async () =>
            (await restCall(second.url, creds, `/${permanent}/status`)).body.status === 'VARSLET' ? true : undefined,
          30_000,
          'the permanently failed letter to go on to the inbox',
        );
        for (const receiver of [one, two]) {
          assert.deepEqual(
            (await receiver.poll()).list.map((f) => f.id).filter((id) => sent.has(id)),
            [temporary],
            'both nodes list only the letter that failed for now',
          );
        }
      },
    );
  });
}
