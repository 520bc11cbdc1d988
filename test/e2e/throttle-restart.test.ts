/**
 * Embedded (no REDIS_URL), the throttles count in the node's SQLite file: a user name locked
 * by wrong passwords stays locked when the node restarts on the same DATA_DIR, where it was
 * unlocked by the restart while the counts were in memory (docs/cluster.md "Throttles").
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TestNode } from '../factories.js';
import { AdminClient, addUser, startAdminTestNode } from '../browser/support.js';

void describe('login throttle across a restart of an embedded node', () => {
  let dir: string;
  let node: TestNode | undefined;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-throttle-restart-'));
  });

  after(async () => {
    await node?.stop();
    await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  void it('keeps a locked user name locked after the restart, and its wrong passwords counted', async () => {
    const data = join(dir, 'data');
    node = await startAdminTestNode([], {}, data);
    await addUser(node, 'laast', 'admin');
    await addUser(node, 'halvveis', 'admin');
    for (let i = 0; i < 5; i++)
      assert.equal((await new AdminClient(node.url).login('laast', `feil-${i}`)).status, 401, `attempt ${i + 1}`);
    for (let i = 0; i < 4; i++)
      assert.equal((await new AdminClient(node.url).login('halvveis', `feil-${i}`)).status, 401);
    assert.equal((await new AdminClient(node.url).login('laast')).status, 429, 'locked before the restart');
    await node.stop();

    node = await startAdminTestNode([], {}, data);
    const blocked = await new AdminClient(node.url).login('laast');
    assert.equal(blocked.status, 429, 'still locked after the restart, even with the right password');
    assert.match(blocked.text, /For mange mislykkede innlogginger/);
    assert.equal(
      (await new AdminClient(node.url).login('halvveis', 'feil-5')).status,
      401,
      'the fifth wrong password is tried',
    );
    assert.equal(
      (await new AdminClient(node.url).login('halvveis')).status,
      429,
      'the four counted before the restart and the one after lock it',
    );
  });
});
