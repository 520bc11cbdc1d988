/**
 * What pdf-lib prints on a PDF thread (it warns of objects it cannot parse) reaches the log as
 * JSON lines like every other, on a node process: the thread's plain lines sat beside the
 * node's JSON ones, which log shippers split or drop (review).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createAvsender } from '../../src/app/accounts.js';
import { openStorage } from '../../src/composition/storage.js';
import { loadSettings } from '../../src/config/load-settings.js';
import { ACCEPTED_OR_LATER, eventually, restForsendelse, restSend, waitForStatus, type Creds } from '../factories.js';
import { contentPdfLibCannotRead } from '../fixtures/hostile-pdfs.js';
import { startNodeProcess, type NodeProcess } from '../node-process.js';

describe('log lines of the PDF threads', () => {
  let dataDir: string;
  let creds: Creds;
  let node: NodeProcess | undefined;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'budbringer-pdf-log-'));
    const storage = await openStorage(loadSettings([], { DATA_DIR: dataDir }));
    const { servicePassword } = await createAvsender(storage.config, { navn: 'Loggkommune', now: Date.now() });
    await storage.close();
    creds = { user: 'Loggkommune', password: servicePassword };
  });
  after(async () => {
    if (node !== undefined && node.child.exitCode === null) await node.kill9();
    await rm(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  it(
    "writes pdf-lib's warnings as JSON lines with component pdf-thread, and nothing but JSON",
    { timeout: 120_000 },
    async () => {
      node = await startNodeProcess({ DATA_DIR: dataDir, PDF_WORKERS: '1' });
      const sent = await restSend(node.url, creds, restForsendelse(), [
        { filename: 'brev.pdf', bytes: contentPdfLibCannotRead() },
      ]);
      assert.equal(sent.status, 200, JSON.stringify(sent.body));
      await waitForStatus(node.url, creds, String(sent.body.id), ACCEPTED_OR_LATER, 60_000);
      const lines = await eventually(
        async () => {
          const all =
            node
              ?.output()
              .split('\n')
              .filter((l) => l.trim() !== '') ?? [];
          return all.some((l) => l.includes('Trying to parse invalid object')) ? all : undefined;
        },
        10_000,
        "pdf-lib's warning",
      );
      const notJson = lines.filter((l) => {
        try {
          JSON.parse(l);
          return false;
        } catch {
          return true;
        }
      });
      assert.deepEqual(notJson, [], 'every line the node printed is JSON');
      const warning = JSON.parse(lines.find((l) => l.includes('Trying to parse invalid object')) ?? '{}') as Record<
        string,
        unknown
      >;
      assert.equal(warning.component, 'pdf-thread');
      assert.equal(warning.level, 40);
    },
  );
});
