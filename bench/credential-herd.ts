/**
 * The c = 64 accept tail (bench/README.md): on a node warmed up by another avsender's
 * sends, sends at c = 64 as the first requests of an avsender whose service password no
 * request has verified yet (as after the 5-minute expiry of the verified-credential
 * cache), then the same again with it verified. Before
 * the fix every request in flight at the expiry ran its own scrypt (~50–100 ms of CPU each,
 * on libuv's four threads); now they share one. Prints one JSON line. Not part of npm test.
 *
 *   node --import tsx bench/credential-herd.ts [--c 64] [--count 256]
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createAvsender } from '../src/app/accounts.js';
import { openSqlite, SqliteConfigStore } from '../src/storage/sqlite/index.js';
import { closedLoop, HttpClient, quantile, type LoadResult } from './lib/http-load.js';
import { letterPool, REST_SEND_PATH, restBody, uniqueLetter } from './lib/letters.js';
import { startNode } from './lib/node-child.js';

const { values } = parseArgs({
  options: { c: { type: 'string', default: '64' }, count: { type: 'string', default: '256' } },
});
const C = Number(values.c);
const COUNT = Number(values.count);
const tmp = mkdtempSync(join(tmpdir(), 'budbringer-herd-'));
const dataDir = join(tmp, 'node');
mkdirSync(dataDir, { recursive: true });
const setup = openSqlite(join(dataDir, 'budbringer.sqlite'));
const config = new SqliteConfigStore(setup);
const authOf = async (navn: string): Promise<string> => {
  const { servicePassword } = await createAvsender(config, { navn, now: Date.now() });
  return `Basic ${Buffer.from(`${navn}:${servicePassword}`).toString('base64')}`;
};
// One avsender warms the node up (JIT, lazily loaded modules); the other's password is
// first verified by the burst.
const warmAuth = await authOf('Varmkommune');
const auth = await authOf('Herdkommune');
setup.close();
const pool = await letterPool(4, join(import.meta.dirname, 'out', 'letters'));
// Web only: no background jobs next to the sends, so the tail is the intake's own.
const node = await startNode({ DATA_DIR: dataDir, SECRET: 'x'.repeat(48), BUDBRINGER_ROLES: 'web' });
const http = new HttpClient(node.url, 2 * C);
let n = 0;
const burst = (c: number, count: number, authorization: string): Promise<LoadResult> =>
  closedLoop(c, { count }, async () => {
    const k = n++;
    const { contentType, body } = restBody(uniqueLetter(pool, k, 'herd'), k);
    const r = await http.send('POST', REST_SEND_PATH, { 'content-type': contentType, authorization }, body);
    if (r.status !== 200) throw new Error(`send: ${r.status} ${r.body.toString().slice(0, 200)}`);
  });
const figures = (r: LoadResult): Record<string, number> => ({
  p50_ms: Math.round(quantile(r.latenciesMs, 0.5)),
  p99_ms: Math.round(quantile(r.latenciesMs, 0.99)),
  max_ms: Math.round(Math.max(...r.latenciesMs)),
  per_s: Math.round(r.perSecond),
});
try {
  await burst(C, COUNT, warmAuth);
  const cold = await burst(C, COUNT, auth);
  const warm = await burst(C, COUNT, auth);
  process.stdout.write(
    `${JSON.stringify({ c: C, count: COUNT, unverified: figures(cold), verified: figures(warm) })}\n`,
  );
} finally {
  http.close();
  await node.stop();
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(0);
