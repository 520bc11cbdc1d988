/**
 * A node that cannot start because of a setting or its surroundings names the setting in one
 * Norwegian line and exits 2, like a setting the schema refuses: a port in use, a DATA_DIR it
 * cannot create, half of the CMS key pair. (Before: a stack trace and exit 1, and for a
 * taken port an unhandled 'error' event that did not name PORT.)
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { embeddedCliEnvironment, REPO, runCli } from './cli-support.js';
import { makeOpensslIdentity, OPENSSL } from '../support/openssl.js';

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

  it('a CMS_KEY_FILE that is no private key (a passphrase-protected key, the certificate): one line naming it', async () => {
    const id = makeOpensslIdentity('/CN=Kommune');
    try {
      const locked = join(dir, 'locked-key.pem');
      execFileSync(OPENSSL, ['pkey', '-in', id.keyPath, '-aes256', '-passout', 'pass:x', '-out', locked]);
      for (const keyFile of [locked, id.certPath]) {
        const r = await startNode({
          DATA_DIR: join(dir, 'k'),
          HOST: '127.0.0.1',
          PORT: '0',
          CMS_CERT_FILE: id.certPath,
          CMS_KEY_FILE: keyFile,
        });
        assert.equal(r.code, 2, r.stderr);
        assert.match(
          r.stderr,
          /^CMS_KEY_FILE kan ikke leses som privatnøkkel \(PEM, PKCS#8 eller PKCS#1, uten passord\)/m,
        );
        assert.doesNotMatch(r.stderr, /at \w+ \(/, 'no stack trace');
      }
    } finally {
      id.cleanup();
    }
  });

  // Review of 7 December 2026: each of these was a stack trace, from the node and the CLI alike.
  it('a database from a newer version, a file that is no database, MongoDB away, a HOST that is no name: one line, node and CLI', async () => {
    const newer = join(dir, 'newer');
    assert.equal((await runCli(newer, ['sender', 'create', '--name', 'Nyere'])).code, 0, 'made');
    const db = new Database(join(newer, 'budbringer.sqlite'));
    db.pragma('user_version = 99');
    db.close();
    const garbage = join(dir, 'garbage');
    await mkdir(garbage);
    await writeFile(join(garbage, 'budbringer.sqlite'), 'dette er ingen database '.repeat(100));
    const mongo = {
      MONGODB_URI: 'mongodb://127.0.0.1:1/x?serverSelectionTimeoutMS=500',
      REDIS_URL: 'redis://127.0.0.1:1',
    };
    const cases: [Record<string, string>, RegExp][] = [
      [
        { DATA_DIR: newer },
        /^DATA_DIR: Databasen har skjemaversjon 99, nyere enn \d+ som denne versjonen kjenner\. Start den nyere versjonen igjen/m,
      ],
      [{ DATA_DIR: garbage }, /^DATA_DIR: .*budbringer\.sqlite er ikke en brukbar SQLite-database \(SQLITE_NOTADB\)/m],
      [{ DATA_DIR: join(dir, 'm'), ...mongo }, /^MONGODB_URI: MongoDB svarer ikke/m],
    ];
    for (const [env, expected] of cases) {
      const node = await startNode({ HOST: '127.0.0.1', PORT: '0', ...env });
      assert.equal(node.code, 2, node.stderr);
      assert.match(node.stderr, expected);
      assert.doesNotMatch(node.stderr, /^\s+at /m, 'no stack trace');
      const cli = await runCli(env.DATA_DIR ?? dir, ['sender', 'list'], { env });
      assert.equal(cli.code, 1, cli.stderr);
      assert.match(cli.stderr, expected);
      assert.doesNotMatch(cli.stderr, /^\s+at /m, 'no stack trace');
    }
    const host = await startNode({ DATA_DIR: join(dir, 'h'), HOST: 'ingen-slik-vert.invalid', PORT: '0' });
    assert.equal(host.code, 2, host.stderr);
    assert.match(host.stderr, /^HOST: ingen-slik-vert\.invalid kan ikke slås opp/m);
  });

  it('the CLI names a backup target it cannot use', async () => {
    const data = join(dir, 'b');
    assert.equal((await runCli(data, ['sender', 'create', '--name', 'Kopi'])).code, 0);
    const r = await runCli(data, ['backup', '/dev/null/kopi']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^Kan ikke bruke \/dev\/null\/kopi: en del av stien er en fil, ikke en mappe \(ENOTDIR\)$/m);
  });
});
