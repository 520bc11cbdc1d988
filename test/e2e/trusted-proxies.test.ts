/**
 * Behind a load balancer (TRUSTED_PROXIES) each client has its own throttle count: the
 * admin login's per-address lock (20 failures) falls on the address in X-Forwarded-For,
 * not on the proxy, which would lock everyone out at once. Without the setting the header
 * is ignored, so a client cannot escape the lock by writing one.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestNode } from '../factories.js';
import { AdminClient, addUser, startAdminTestNode } from '../browser/support.js';

const PER_ADDRESS = 20;

describe('client address behind a trusted proxy', () => {
  let proxied: TestNode;
  let direct: TestNode;
  before(async () => {
    proxied = await startAdminTestNode([], { TRUSTED_PROXIES: '127.0.0.1,::1' });
    direct = await startAdminTestNode([]);
    await addUser(proxied, 'ekte', 'admin');
    await addUser(direct, 'ekte', 'admin');
  });
  after(async () => {
    await proxied.stop();
    await direct.stop();
  });

  /** PER_ADDRESS wrong logins, each under a user name of its own, "from" `address`. */
  const exhaust = async (node: TestNode, address: string): Promise<void> => {
    for (let i = 0; i < PER_ADDRESS; i++) {
      const r = await new AdminClient(node.url).login(`gjetter-${i}`, 'feil', { 'x-forwarded-for': address });
      assert.equal(r.status, 401, `attempt ${i + 1}`);
    }
  };

  it('locks the client named by the proxy, and no one else', { timeout: 60_000 }, async () => {
    await exhaust(proxied, '198.51.100.7');
    assert.equal(
      (await new AdminClient(proxied.url).login('ekte', undefined, { 'x-forwarded-for': '198.51.100.7' })).status,
      429,
    );
    assert.equal(
      (await new AdminClient(proxied.url).login('ekte', undefined, { 'x-forwarded-for': '198.51.100.8' })).status,
      303,
    );
  });

  it(
    'ignores the header when no proxy is trusted: writing one does not escape the lock',
    { timeout: 60_000 },
    async () => {
      await exhaust(direct, '198.51.100.7');
      assert.equal(
        (await new AdminClient(direct.url).login('ekte', undefined, { 'x-forwarded-for': '198.51.100.8' })).status,
        429,
      );
    },
  );
});
