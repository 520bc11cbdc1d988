/**
 * BUDBRINGER_ROLES (docs/cluster.md): a `web` node answers HTTP and takes letters but runs
 * no jobs; a `worker` node on the same DATA_DIR runs them (composes the letter the web node
 * took) and opens no listener. Two real nodes on one SQLite file, as in the cluster mode.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  ACCEPTED_OR_LATER,
  eventually,
  letterPdf,
  restCall,
  restForsendelse,
  restSend,
  startTestNode,
  waitForStatus,
  type Creds,
  type TestNode,
} from '../factories.js';

/** Listening TCP servers of this process. */
const listeners = (): number => process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length;

describe('node roles on one DATA_DIR', () => {
  let dataDir: string;
  let web: TestNode;
  let worker: TestNode | undefined;
  let creds: Creds;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'budbringer-roles-'));
    web = await startTestNode({ BUDBRINGER_ROLES: 'web' }, dataDir);
    creds = await web.sender('Rollekommune');
  });
  after(async () => {
    await worker?.stop();
    await web.stop();
    await rm(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  it('built once before listening, the web node serves a WSDL whose address has the port it got (PORT=0)', async () => {
    const res = await fetch(`${web.url}/tjenester/forsendelseservice/ForsendelsesServiceV9?wsdl`);
    assert.equal(res.status, 200);
    assert.match(web.url, /^http:\/\/127\.0\.0\.1:[1-9][0-9]*$/);
    assert.ok(
      (await res.text()).includes(`location="${web.url}/tjenester/forsendelseservice/ForsendelsesServiceV9"`),
      'the WSDL names the real port',
    );
  });

  it(
    'a web node takes a letter and leaves its jobs to a worker; a worker node runs them without listening',
    { timeout: 60_000 },
    async () => {
      const health = await fetch(`${web.url}/healthz`);
      assert.equal(health.status, 200);
      const sent = await restSend(web.url, creds, restForsendelse(), [
        { filename: 'brev.pdf', bytes: await letterPdf() },
      ]);
      assert.equal(sent.status, 200, JSON.stringify(sent.body));
      const id = sent.body.id as string;

      // Many poll intervals (JOB_POLL_MS=50) pass: a node that ran jobs would have composed it.
      await new Promise((r) => setTimeout(r, 1_000));
      assert.equal(await web.node.storage.jobs.state(`compose:${id}`), 'waiting', 'the web node runs no jobs');
      const status = await restCall(web.url, creds, `/${id}/status`);
      assert.equal(status.status, 200);
      assert.equal(status.body.status, 'MOTTATT');

      const listening = listeners();
      worker = await startTestNode({ BUDBRINGER_ROLES: 'worker' }, dataDir);
      assert.equal(listeners(), listening, 'the worker node opens no listener');

      await waitForStatus(web.url, creds, id, ACCEPTED_OR_LATER, 30_000);
      await eventually(
        async () => ((await web.node.storage.jobs.state(`compose:${id}`)) === 'completed' ? true : undefined),
        15_000,
        'compose job done',
      );
    },
  );
});
