/**
 * Everything a node process prints is a JSON log line (docs/operations.md, "Logs"), also what
 * libraries print with `console` on the main thread and on the PDF threads, on a node process:
 * - a stored document damaged on disk after intake (a bad disk, a partial copy), downloaded
 *   whole: the download breaks off before its last byte rather than ending as if complete,
 *   and the node says so in one JSON line (before, the last chunk went out, as a same-size
 *   change passed the length check, and when a truncated one failed, @hono/node-server
 *   printed its stack as plain lines; review);
 * - pdf-lib's warnings about objects it cannot parse, printed on a PDF thread (plain lines
 *   before; review).
 * The node is web-only, so no compose job reads the document before it is damaged.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createAvsender } from '../../src/app/accounts.js';
import { openStorage } from '../../src/composition/storage.js';
import { loadSettings } from '../../src/config/load-settings.js';
import { eventually, letterPdf, restForsendelse, restSend, type Creds } from '../factories.js';
import { contentPdfLibCannotRead } from '../fixtures/hostile-pdfs.js';
import { startNodeProcess, type NodeProcess } from '../node-process.js';

describe('what a node process prints', () => {
  let dataDir: string;
  let creds: Creds;
  let node: NodeProcess;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'budbringer-json-log-'));
    const storage = await openStorage(loadSettings([], { DATA_DIR: dataDir }));
    const { servicePassword } = await createAvsender(storage.config, { navn: 'Loggkommune', now: Date.now() });
    await storage.close();
    creds = { user: 'Loggkommune', password: servicePassword };
    node = await startNodeProcess({ DATA_DIR: dataDir, PDF_WORKERS: '1', BUDBRINGER_ROLES: 'web' });
  });
  after(async () => {
    if (node.child.exitCode === null) await node.kill9();
    await rm(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  /** The node's lines once one includes `marker`, after checking every line is JSON; the marked one parsed. */
  const linesUntil = async (marker: string): Promise<Record<string, unknown>> => {
    const lines = await eventually(
      async () => {
        const all = node
          .output()
          .split('\n')
          .filter((l) => l.trim() !== '');
        return all.some((l) => l.includes(marker)) ? all : undefined;
      },
      10_000,
      `a log line with «${marker}»`,
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
    return JSON.parse(lines.find((l) => l.includes(marker)) ?? '{}') as Record<string, unknown>;
  };

  it('breaks a damaged document’s download off before its last byte and logs why as one JSON line', async () => {
    const pdf = await letterPdf();
    const sent = await restSend(node.url, creds, restForsendelse(), [{ filename: 'brev.pdf', bytes: pdf }]);
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    const sha256 = createHash('sha256').update(pdf).digest('hex');
    const path = join(dataDir, 'blobs', sha256.slice(0, 2), sha256.slice(2, 4), sha256);
    const stored = await readFile(path);
    assert.ok(stored.equals(pdf));
    // The same size, one byte changed near the end: a length check cannot see it.
    const damaged = Buffer.from(stored);
    damaged[damaged.length - 10] = (damaged[damaged.length - 10] ?? 0) ^ 1;
    await writeFile(path, damaged);

    const url = `${node.url}/tjenester/api/forsendelse/v1/${String(sent.body.id)}/dokumenter/0`;
    const auth = `Basic ${Buffer.from(`${creds.user}:${creds.password}`).toString('base64')}`;
    const response = await fetch(url, { headers: { authorization: auth } });
    assert.equal(response.status, 200, 'the head went out before the damage was found');
    let received = 0;
    await assert.rejects(async () => {
      for await (const part of response.body ?? []) received += (part as Uint8Array).byteLength;
    }, 'the body breaks off');
    assert.ok(received < pdf.length, `not all of it came: ${received} of ${pdf.length} bytes`);
    const line = await linesUntil('skadet');
    assert.equal(line.level, 50, `logged as an error: ${JSON.stringify(line)}`);
  });

  it("writes pdf-lib's warnings on a PDF thread as JSON lines with component pdf-thread", async () => {
    const sent = await restSend(node.url, creds, restForsendelse(), [
      { filename: 'brev.pdf', bytes: contentPdfLibCannotRead() },
    ]);
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    const warning = await linesUntil('Trying to parse invalid object');
    assert.equal(warning.component, 'pdf-thread');
    assert.equal(warning.level, 40);
  });
});
