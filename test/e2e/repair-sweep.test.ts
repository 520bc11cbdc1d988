/**
 * The repair sweep (docs/cluster.md): a forsendelse whose Mottatt is journaled but whose
 * projection and jobs never followed (its node died right after the journal write) is
 * picked up by a running node within REPAIR_INTERVAL_MS, without a restart. The sweep's log
 * line names it: the proof that the sweep, and nothing else, moved it on.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { openStorage } from '../../src/composition/storage.js';
import { loadSettings } from '../../src/config/load-settings.js';
import type { Json } from '../../src/storage/ports.js';
import {
  ACCEPTED_OR_LATER,
  eventually,
  letterPdf,
  restForsendelse,
  restSend,
  startTestNode,
  waitForStatus,
  type Creds,
  type TestNode,
} from '../factories.js';

describe('repair sweep', () => {
  let t: TestNode;
  let creds: Creds;
  const repairLines: { ids?: string[] }[] = [];
  before(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const text of chunk.toString('utf8').split('\n')) {
          if (text === '') continue;
          const line = JSON.parse(text) as { msg?: string; ids?: string[] };
          if (line.msg?.startsWith('repaired forsendelser') === true) repairLines.push(line);
        }
        done();
      },
    });
    t = await startTestNode({ REPAIR_INTERVAL_MS: '1000' }, undefined, pino({ level: 'info' }, sink));
    creds = await t.sender('Sveipkommune');
  });
  after(async () => {
    await t.stop();
  });

  it('moves on a forsendelse journaled behind the node’s back, with no restart', { timeout: 30_000 }, async () => {
    const sent = await restSend(t.url, creds, restForsendelse(), [{ filename: 'brev.pdf', bytes: await letterPdf() }]);
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    const original = sent.body.id as string;
    await waitForStatus(t.url, creds, original, ACCEPTED_OR_LATER);

    // Another process journals a Mottatt (the same documents) and dies before anything else.
    const id = randomUUID();
    const other = await openStorage(loadSettings([], { DATA_DIR: t.dataDir }));
    try {
      const [mottatt] = await other.journal.read(`forsendelse:${original}`, 0);
      assert.ok(mottatt !== undefined);
      const data = { ...(mottatt.data as Record<string, Json>), id, at: Date.now() };
      await other.journal.append([
        { key: `forsendelse:${id}`, seq: 1, data, tags: mottatt.tags, createdAt: Date.now() },
      ]);
    } finally {
      await other.close();
    }
    await waitForStatus(t.url, creds, id, ACCEPTED_OR_LATER, 15_000);
    await eventually(
      async () => (repairLines.some((line) => line.ids?.includes(id) === true) ? true : undefined),
      5_000,
      'a repair line naming the letter',
    );
  });
});
