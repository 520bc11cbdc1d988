/**
 * Retention (issue 4: "Documents are purged RETENTION after sending; metadata and history
 * stay"): with a short RETENTION, a printed letter's originals, forsendelsesfil and print
 * file are physically deleted from the blob store, while status, history and document
 * metadata stay.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  eventually,
  restCall,
  restForsendelse,
  restSend,
  startTestNode,
  waitForStatus,
  type Creds,
  type TestNode,
} from '../factories.js';
import { makeLetterPdf } from '../fixtures/index.js';

describe('retention: documents are really deleted after RETENTION', () => {
  let t: TestNode;
  let creds: Creds;
  before(async () => {
    // No KRR: the letter goes to print (filedrop) at once; retention counts from then.
    t = await startTestNode({ RETENTION: 'PT2S' });
    creds = await t.sender('Oppbevaringskommune');
  });
  after(() => t.stop());

  it(
    'after RETENTION the bytes are gone from the blob store; status, history and metadata stay',
    { timeout: 60_000 },
    async () => {
      const pdf = await makeLetterPdf({ seed: 4_000_000 + Math.floor(Math.random() * 1_000_000), pages: 2 });
      const sha = createHash('sha256').update(pdf).digest('hex');
      const sent = await restSend(t.url, creds, restForsendelse({ printkonfigurasjon: { tosidig: true } }), [
        { filename: 'brev.pdf', bytes: pdf },
      ]);
      assert.equal(sent.status, 200, JSON.stringify(sent.body));
      const id = String(sent.body.id);
      await waitForStatus(t.url, creds, id, 'SENDT_PRINT');
      const state = await t.node.actors.state(id);
      // It went on paper at once: its one composed file is the print copy (docs/architecture.md step 4).
      assert.equal(state?.forsendelsesfil, undefined, 'no merged file for the inbox');
      const files = [sha, state?.printfil?.sha256];
      assert.ok(
        files.every((f) => f !== undefined),
        'original and the print file (tosidig)',
      );
      const history = async () =>
        (await restCall(t.url, creds, `/${id}/historikk`)).body.hendelsesLogger.map(
          (h: { hendelse: string }) => h.hendelse,
        ) as string[];
      await eventually(
        async () => ((await history()).includes('Dokumenter slettet etter utløpt oppbevaringstid') ? true : undefined),
        30_000,
        'the purge',
      );
      for (const f of files) {
        await eventually(
          async () => ((await t.node.storage.blobs.size(f ?? '')) === undefined ? true : undefined),
          10_000,
          `blob ${f} deleted`,
        );
      }
      assert.equal((await restCall(t.url, creds, `/${id}/status`)).body.status, 'SENDT_PRINT', 'the status stays');
      assert.ok((await history()).includes('Sendt til print'), 'the history stays');
      const meta = (await restCall(t.url, creds, `/${id}/dokumentMetadata`)).body.dokumentMetadata[0];
      assert.equal(meta.sha256hash, sha, 'metadata stays');
      assert.equal(meta.nedlasningsUrl, null);
    },
  );
});
