/**
 * Rotating SECRET (issue #18): a node restarted with a new SECRET and the old one in
 * SECRET_PREVIOUS still opens the inbox links it sent before, while a link signed with a
 * secret in neither is refused; the next notification is signed with the new secret.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { InboxLinks } from '../../src/app/inbox-links.js';
import { eventually, FNR, letterPdf, restForsendelse, restSend, type Creds, type TestNode } from '../factories.js';
import { startAdminTestNode } from '../browser/support.js';
import { inboxLinks } from '../support/outbox.js';

const OLD = 'gammel-hemmelighet-som-er-lang-nok-0123456789';
const NEW = 'ny-hemmelighet-som-ogsa-er-lang-nok-9876543210';

describe('SECRET rotation keeps outstanding inbox links valid', () => {
  let root: string;
  let t: TestNode | undefined;
  after(async () => {
    await t?.stop();
    await rm(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  it('opens a link signed with SECRET_PREVIOUS, refuses one signed with an unknown secret', async () => {
    root = await mkdtemp(join(tmpdir(), 'budbringer-rotate-'));
    const dataDir = join(root, 'data');
    const krr = [{ fnr: FNR[0], epost: 'kari@example.no' }];
    t = await startAdminTestNode(krr, { SECRET: OLD }, dataDir);
    const creds: Creds = await t.sender('Rotasjonskommune');
    const sent = await restSend(t.url, creds, restForsendelse(), [{ filename: 'brev.pdf', bytes: await letterPdf() }]);
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    const [oldLink] = await eventually(
      async () => ((await inboxLinks(dataDir)).length > 0 ? inboxLinks(dataDir) : undefined),
      15_000,
      'the notification with its link',
    );
    assert.ok(oldLink);
    assert.equal((await fetch(`${t.url}${oldLink}`)).status, 200, 'opens before the rotation');
    await t.stop();
    t = undefined;

    // The same link, re-signed with a secret the node does not know: refused.
    const payload = oldLink.slice('/innboks/'.length).split('.')[0] ?? '';
    const stranger = new InboxLinks(Buffer.from('en-helt-annen-hemmelighet-0123456789abcdef'));
    const [forsendelseId, mottaker, expiresAt] = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as [
      string,
      string,
      number,
    ];
    const forged = `/innboks/${stranger.token({ forsendelseId, mottaker, expiresAt })}`;

    t = await startAdminTestNode(krr, { SECRET: NEW, SECRET_PREVIOUS: OLD }, dataDir);
    const opened = await fetch(`${t.url}${oldLink}`);
    assert.equal(opened.status, 200, 'the old link still opens after the rotation');
    assert.match(await opened.text(), /Rotasjonskommune/);
    assert.notEqual((await fetch(`${t.url}${forged}`)).status, 200);
    await t.stop();
    t = undefined;

    // Without SECRET_PREVIOUS the old link is refused: the ring is what kept it valid.
    t = await startAdminTestNode(krr, { SECRET: NEW }, dataDir);
    assert.notEqual((await fetch(`${t.url}${oldLink}`)).status, 200);
  });
});
