/**
 * A node's mark on its DATA_DIR is touched while it runs, so a restore on another host name
 * can tell a running node from a dead one's leftover mark (src/composition/running-nodes.ts).
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { markRunning } from '../../../src/composition/running-nodes.js';

describe('markRunning', () => {
  it('names the mark by host, pid and a random part, touches it every heartbeat (writing it again when gone), and removes it on close', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'budbringer-run-mark-'));
    try {
      const unmark = await markRunning(dir, Date.now(), 50);
      const [name] = await readdir(join(dir, 'run'));
      assert.match(name ?? '', new RegExp(`-${process.pid}-[0-9a-f]{8}\\.json$`), 'host, pid and a random part');
      const file = join(dir, 'run', name ?? '');
      const first = (await stat(file)).mtimeMs;
      await sleep(300);
      assert.ok((await stat(file)).mtimeMs > first, 'touched since it was written');
      await rm(file);
      await sleep(300);
      assert.deepEqual(await readdir(join(dir, 'run')), [name], 'written again when gone');
      await unmark();
      assert.deepEqual(await readdir(join(dir, 'run')), []);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
