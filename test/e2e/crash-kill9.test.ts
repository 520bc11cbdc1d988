/**
 * Issue acceptance: `kill -9` during a burst of 400 sends. After a restart every id that
 * was handed out exists, its documents are byte-identical, it reaches AKSEPTERT, and no
 * id was handed out twice.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { createAvsender } from '../../src/app/accounts.js';
import { openStorage } from '../../src/composition/storage.js';
import { loadSettings } from '../../src/config/load-settings.js';
import { makeLetterPdf } from '../fixtures/letter-pdf.js';
import { ACCEPTED_OR_LATER, basic, eventually, restCall, restForsendelse, restSend, type Creds } from '../factories.js';
import { startNodeProcess, type NodeProcess } from '../node-process.js';

const TOTAL = 400;
const CONCURRENCY = 16;
const KILL_AFTER_ACKS = 150;

describe('kill -9 during a burst of sends', () => {
  let dataDir: string;
  let creds: Creds;
  let proc: NodeProcess | undefined;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'budbringer-kill9-'));
    const storage = await openStorage(loadSettings([], { DATA_DIR: dataDir }));
    const { servicePassword } = await createAvsender(storage.config, { navn: 'Crashkommune', now: Date.now() });
    await storage.close();
    creds = { user: 'Crashkommune', password: servicePassword };
    void pino;
  });
  after(async () => {
    if (proc !== undefined && proc.child.exitCode === null) await proc.kill9();
    await rm(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  it('loses no acknowledged forsendelse and hands out no id twice', { timeout: 240_000 }, async () => {
    const pdfs = await Promise.all([1, 2, 3, 4].map((seed) => makeLetterPdf({ seed })));
    const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
    proc = await startNodeProcess({ DATA_DIR: dataDir });
    const first = proc;
    const acked: { id: string; sha: string }[] = [];
    let next = 0;
    let killed = false;
    const sender = async (): Promise<void> => {
      while (next < TOTAL) {
        const i = next++;
        const pdf = pdfs[i % pdfs.length] as Uint8Array;
        try {
          const r = await restSend(first.url, creds, restForsendelse({ tittel: `Brev ${i}` }), [
            { filename: 'brev.pdf', bytes: pdf },
          ]);
          if (r.status === 200) acked.push({ id: r.body.id as string, sha: sha(pdf) });
          else if (!killed) assert.fail(`send ${i} refused: ${r.status} ${JSON.stringify(r.body)}`);
        } catch (e) {
          if (!killed)
            throw new Error(
              `send ${i} failed before the kill: ${String(e)} ${String((e as Error).cause)}\n${first.output().slice(-3000)}`,
            );
        }
        if (!killed && acked.length >= KILL_AFTER_ACKS) {
          killed = true;
          await first.kill9();
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, sender));
    assert.ok(killed, 'the node was killed mid-burst');
    assert.ok(acked.length >= KILL_AFTER_ACKS);
    assert.equal(new Set(acked.map((a) => a.id)).size, acked.length, 'no id handed out twice');

    proc = await startNodeProcess({ DATA_DIR: dataDir });
    const second = proc;
    for (const { id, sha: expected } of acked) {
      const meta = await restCall(second.url, creds, `/${id}/dokumentMetadata`);
      assert.equal(meta.status, 200, `acknowledged ${id} exists after restart`);
      assert.equal(meta.body.dokumentMetadata[0].sha256hash, expected);
      const dl = await fetch(meta.body.dokumentMetadata[0].nedlasningsUrl, {
        headers: { authorization: basic(creds) },
      });
      assert.equal(sha(new Uint8Array(await dl.arrayBuffer())), expected, `documents of ${id} byte-identical`);
    }
    await eventually(
      async () => {
        const r = await restCall(second.url, creds, '/statuser', { json: acked.map((a) => a.id) });
        const accepted = r.body.statuser.filter((s: { status: string }) =>
          (ACCEPTED_OR_LATER as readonly string[]).includes(s.status),
        ).length;
        return accepted === acked.length ? true : undefined;
      },
      120_000,
      'every acknowledged forsendelse to reach AKSEPTERT (or move on from it)',
    );
    assert.equal(await second.stop(), 0, 'clean shutdown on SIGTERM');
    // The log's last word on a clean stop (the pipe may still hold it a moment after exit).
    await eventually(
      async () => (/"msg":"stopped"/.test(second.output()) ? true : undefined),
      5000,
      'the stopped line',
    );
  });
});
