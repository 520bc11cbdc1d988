/**
 * A node under test in a fresh temp DATA_DIR with one avsender, and a `send` that posts the
 * next unique bench letter through REST v1 (for the probes beside run.ts: commits per
 * letter, CPU per thread). `close` stops the node and removes the directory.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAvsender } from '../../src/app/accounts.js';
import { openSqlite, SqliteConfigStore } from '../../src/storage/sqlite/index.js';
import { HttpClient } from './http-load.js';
import { letterPool, REST_SEND_PATH, restBody, uniqueLetter } from './letters.js';
import { startNode, type NodeChild } from './node-child.js';
import { NodeDb } from './node-db.js';

/** A started node and how to send it letters. */
export interface LetterSender {
  readonly node: NodeChild;
  /** The node's SQLite file. */
  readonly file: string;
  readonly db: NodeDb;
  /** Sends the next letter; throws unless the answer is 200. */
  send(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a node with `env` on top of DATA_DIR and SECRET, and `execArgv`; `connections` for the sends. */
export async function startLetterSender(
  name: string,
  env: Record<string, string> = {},
  execArgv: string[] = [],
  connections = 8,
): Promise<LetterSender> {
  const tmp = mkdtempSync(join(tmpdir(), `budbringer-${name}-`));
  const dataDir = join(tmp, 'node');
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'budbringer.sqlite');
  const setup = openSqlite(file);
  const { servicePassword } = await createAvsender(new SqliteConfigStore(setup), { navn: name, now: Date.now() });
  setup.close();
  const auth = `Basic ${Buffer.from(`${name}:${servicePassword}`).toString('base64')}`;
  const pool = await letterPool(4, join(import.meta.dirname, '..', 'out', 'letters'));
  const node = await startNode({ DATA_DIR: dataDir, SECRET: 'x'.repeat(48), ...env }, execArgv);
  const http = new HttpClient(node.url, connections);
  const db = new NodeDb(file);
  let n = 0;
  return {
    node,
    file,
    db,
    async send() {
      const k = n++;
      const { contentType, body } = restBody(uniqueLetter(pool, k, name), k);
      const r = await http.send('POST', REST_SEND_PATH, { 'content-type': contentType, authorization: auth }, body);
      if (r.status !== 200) throw new Error(`send: ${r.status}`);
    },
    async close() {
      http.close();
      db.close();
      await node.stop();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}
