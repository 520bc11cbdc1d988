/**
 * With REDIS_URL the login throttle counts in Redis, so two nodes behind a load balancer
 * allow five wrong passwords per user name between them, not five each (docs/cluster.md
 * "Throttles"). Two real nodes on one DATA_DIR (the small cluster of test/cluster/) and one
 * Redis with a prefix of their own. Fails, not skips, without a Redis: CI starts one.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TestNode } from '../factories.js';
import { AdminClient, addUser, startAdminTestNode } from '../browser/support.js';
import { redisMissing, redisUrl, sweepKeys, uniquePrefix } from '../redis-support.js';

const missing = await redisMissing('testen av delt innloggingssperre');

if (missing !== false) void it('login throttle shared by two nodes over Redis', () => assert.fail(missing));
else
  void describe('login throttle shared by two nodes over Redis', () => {
    let dir: string;
    const nodes: TestNode[] = [];
    const prefix = uniquePrefix('throttle');

    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'budbringer-throttle-'));
      for (let i = 0; i < 2; i++)
        nodes.push(await startAdminTestNode([], { REDIS_URL: redisUrl, QUEUE_PREFIX: prefix }, join(dir, 'data')));
    });

    after(async () => {
      for (const node of nodes) await node.stop();
      await sweepKeys(prefix);
      await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
    });

    /** A fresh client of node `n % 2`, as a load balancer would hand it out. */
    const clientOf = (n: number): AdminClient => new AdminClient((nodes[n % 2] ?? nodes[0])?.url ?? '');

    void it('counts wrong passwords sent to either node: five in all, then both refuse', async () => {
      await addUser(nodes[0] as TestNode, 'vekselvis', 'admin');
      for (let i = 0; i < 5; i++)
        assert.equal((await clientOf(i).login('vekselvis', `feil-${i}`)).status, 401, `attempt ${i + 1}`);
      for (let n = 0; n < 2; n++) {
        const blocked = await clientOf(n).login('vekselvis');
        assert.equal(blocked.status, 429, `node ${n + 1} refuses even the right password`);
        assert.match(blocked.text, /For mange mislykkede innlogginger/);
      }
    });

    void it('counts wrong passwords sent to both nodes at once: no more than five are tried', async () => {
      await addUser(nodes[0] as TestNode, 'samtidig', 'admin');
      const statuses = await Promise.all(
        Array.from({ length: 12 }, async (_, n) => (await clientOf(n).login('samtidig', `feil-${n}`)).status),
      );
      assert.equal(
        statuses.filter((s) => s === 401).length,
        5,
        `five tried, the rest refused untried: ${statuses.join(',')}`,
      );
      assert.equal(statuses.filter((s) => s === 429).length, 7);
    });

    void it('lets a right password through on one node after wrong ones on the other, and forgets them', async () => {
      await addUser(nodes[0] as TestNode, 'glemsom', 'admin');
      for (let i = 0; i < 4; i++) assert.equal((await clientOf(0).login('glemsom', `feil-${i}`)).status, 401);
      assert.equal((await clientOf(1).login('glemsom')).status, 303);
      for (let i = 0; i < 5; i++)
        assert.equal((await clientOf(0).login('glemsom', `igjen-${i}`)).status, 401, 'the count started over');
      assert.equal((await clientOf(1).login('glemsom')).status, 429);
    });
  });
