/**
 * A letter its sender marks as read (settLest, setForsendelseLestAvEksterntSystem) before its
 * compose job has accepted it is accepted as read: it gets no channel, and nothing is handed
 * to print. Before, the compose job chose print and dropped the copy for the provider while
 * the acceptance made the letter LEST: a letter the sender said was read went on paper,
 * unrecorded, and the provider's receipt for it was refused with the rest of its list.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FNR, letterPdf, restCall, restForsendelse, restSend, startTestNode, waitForStatus } from '../factories.js';

describe('read before acceptance', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-lest-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a letter set read while it waits for its compose job ends LEST, and no print copy is handed over', async () => {
    // The web part alone takes the letter and the settLest; the jobs run after, on the same data.
    const web = await startTestNode({ BUDBRINGER_ROLES: 'web' }, dir);
    const creds = await web.sender('Lesekommune');
    const sent = await restSend(web.url, creds, restForsendelse(), [
      { filename: 'brev.pdf', bytes: await letterPdf() },
    ]);
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    const id = sent.body.id as string;
    const lest = await restCall(web.url, creds, `/${id}/settLest`, {
      json: { lestAvFodselsNummer: FNR[0], navnPaEksterntSystem: 'Arkiv', datoLest: Date.now() },
    });
    assert.equal(lest.status, 200);
    assert.equal((await restCall(web.url, creds, `/${id}/status`)).body.status, 'MOTTATT');
    await web.stop();

    const node = await startTestNode({}, dir);
    try {
      await waitForStatus(node.url, creds, id, 'LEST');
      const hist = await restCall(node.url, creds, `/${id}/historikk`);
      const lines = (hist.body.hendelsesLogger as { hendelse: string }[]).map((h) => h.hendelse);
      assert.ok(lines.includes('Akseptert for ekspedering'), lines.join('\n'));
      assert.ok(!lines.some((l) => l.startsWith('Sendt til print')), lines.join('\n'));
      const dropped = await readdir(join(dir, 'print')).catch(() => [] as string[]);
      assert.deepEqual(
        dropped.filter((f) => f.startsWith(id)),
        [],
        'nothing of the letter in the print drop',
      );
    } finally {
      await node.stop();
    }
  });
});
