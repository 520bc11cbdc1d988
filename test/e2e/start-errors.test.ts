/**
 * A node that cannot start because of a setting or its surroundings names the setting in one
 * Norwegian line and exits 2, like a setting the schema refuses: a port in use, a DATA_DIR it
 * cannot create, half of the CMS key pair. (Before: a stack trace and exit 1, and for a
 * taken port an unhandled 'error' event that did not name PORT.)
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { embeddedCliEnvironment, REPO } from './cli-support.js';

/** Starts a node (`bin/budbringer.mjs` without a command) with `env`; its exit code and stderr, or a kill after 60 s. */
function startNode(env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/budbringer.mjs'],
      { cwd: REPO, env: { ...embeddedCliEnvironment(), ...env }, timeout: 60_000 },
      (error, _stdout, stderr) => {
        resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stderr });
      },
    );
  });
}

describe('start: what stops a node names its setting', () => {
  let dir: string;
  let taken: Server;
  let port: number;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-start-errors-'));
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    port = (taken.address() as AddressInfo).port;
  });
  after(async () => {
    await new Promise((resolve) => taken.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it('a port in use', async () => {
    const r = await startNode({ DATA_DIR: join(dir, 'a'), HOST: '127.0.0.1', PORT: String(port) });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`^PORT: 127\\.0\\.0\\.1:${port} er allerede i bruk av en annen prosess`, 'm'));
    // It closed what it opened: no mark of a running node is left on its DATA_DIR (review).
    assert.deepEqual(await readdir(join(dir, 'a', 'run')).catch(() => []), []);
  });

  it('a DATA_DIR under a file', async () => {
    const r = await startNode({ DATA_DIR: '/dev/null/budbringer', HOST: '127.0.0.1', PORT: '0' });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^DATA_DIR: \/dev\/null\/budbringer kan ikke opprettes eller skrives \(ENOTDIR\)$/m);
  });

  it('a DATA_DIR that is a file', async () => {
    const file = join(dir, 'en-fil');
    await writeFile(file, 'x');
    const r = await startNode({ DATA_DIR: file, HOST: '127.0.0.1', PORT: '0' });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /kan ikke opprettes eller skrives \(EEXIST\)$/m);
    assert.doesNotMatch(r.stderr, /at \w+ \(/, 'no stack trace');
  });

  it('half of the CMS key pair', async () => {
    const r = await startNode({
      DATA_DIR: join(dir, 'c'),
      HOST: '127.0.0.1',
      PORT: '0',
      CMS_CERT_FILE: join(dir, 'x.pem'),
    });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^CMS_CERT_FILE og CMS_KEY_FILE må settes sammen/m);
  });
});
