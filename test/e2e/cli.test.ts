/**
 * The `budbringer` CLI as an operator runs it: `node bin/budbringer.mjs …` in the
 * checkout with DATA_DIR set, before a node starts and while it runs (SQLite WAL lets
 * both write the same file).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ORGNR, restCall, startTestNode, type TestNode } from '../factories.js';
import { embeddedCliEnvironment } from './cli-support.js';

const REPO = join(import.meta.dirname, '..', '..');
const USAGE_START = 'Bruk:\n  budbringer sender create --name NAVN [--orgnr ORGNR]';

interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI with only DATA_DIR (and the ordinary process environment) set. */
function cli(dataDir: string, ...args: string[]): Promise<CliResult> {
  // BUDBRINGER_* variables of the test's own environment would be settings of the CLI.
  const env = embeddedCliEnvironment();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/budbringer.mjs', ...args],
      { cwd: REPO, env: { ...env, DATA_DIR: dataDir } },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** `user create` of a sender-only user with a valid password, bound to `sender`. */
function createSenderOnlyUser(dataDir: string, username: string, sender: string): Promise<CliResult> {
  const password = 'et-langt-passord';
  return cli(
    dataDir,
    'user',
    'create',
    '--username',
    username,
    '--password',
    password,
    '--role',
    'sender-only',
    '--sender',
    sender,
  );
}

/** Parses the one JSON line a successful command prints. */
function json(r: CliResult): Record<string, unknown> {
  assert.equal(r.code, 0, `exit ${r.code}: ${r.stderr}`);
  assert.equal(r.stderr, '');
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 1, r.stdout);
  return JSON.parse(lines[0] ?? '') as Record<string, unknown>;
}

describe('CLI: budbringer sender / user', () => {
  let dataDir: string;
  let t: TestNode | undefined;
  let created: Record<string, unknown>;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'budbringer-cli-'));
    // Before any node has run: the CLI creates the database itself.
    created = json(await cli(dataDir, 'sender', 'create', '--name', 'Cli kommune', '--orgnr', ORGNR));
    t = await startTestNode({ ACTOR_IDLE_MS: '1000' }, dataDir);
  });
  after(async () => {
    await t?.stop();
    await rm(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  const node = (): TestNode => {
    assert.ok(t !== undefined);
    return t;
  };

  it('sender create prints JSON with a service password that authenticates against a node on the same DATA_DIR', async () => {
    assert.deepEqual(Object.keys(created).sort(), ['kontoId', 'name', 'orgnr', 'servicePassword']);
    assert.match(String(created.kontoId), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(created.name, 'Cli kommune');
    assert.equal(created.orgnr, ORGNR);
    assert.match(String(created.servicePassword), /^[A-Za-z0-9_-]{40,}$/);
    const creds = { user: 'Cli kommune', password: String(created.servicePassword) };
    const ok = await restCall(node().url, creds, '/forsendelseTyper');
    assert.equal(ok.status, 200);
    const wrong = await restCall(node().url, { ...creds, password: `${creds.password}x` }, '/forsendelseTyper');
    assert.equal(wrong.status, 401);
  });

  it('sender create while the node runs: the running node accepts the new sender at once', async () => {
    const r = json(await cli(dataDir, 'sender', 'create', '--name', 'Sent kommune'));
    assert.equal(r.orgnr, null);
    const res = await restCall(
      node().url,
      { user: 'Sent kommune', password: String(r.servicePassword) },
      '/forsendelseTyper',
    );
    assert.equal(res.status, 200);
  });

  it('sender rotate-password (node running): the old password fails with 401, the new one works', async () => {
    const first = json(await cli(dataDir, 'sender', 'create', '--name', 'Roter kommune'));
    const old = { user: 'Roter kommune', password: String(first.servicePassword) };
    assert.equal(
      (await restCall(node().url, old, '/forsendelseTyper')).status,
      200,
      'old password works (and is now cached)',
    );
    const rotated = json(await cli(dataDir, 'sender', 'rotate-password', '--name', 'Roter kommune'));
    assert.deepEqual(Object.keys(rotated).sort(), ['name', 'servicePassword']);
    assert.notEqual(rotated.servicePassword, first.servicePassword);
    assert.equal((await restCall(node().url, old, '/forsendelseTyper')).status, 401);
    assert.equal(
      (await restCall(node().url, { ...old, password: String(rotated.servicePassword) }, '/forsendelseTyper')).status,
      200,
    );
  });

  it('user create --role sender-only --sender: the user is bound to the sender and inherits its orgnr', async () => {
    const r = json(await createSenderOnlyUser(dataDir, 'kari', 'Cli kommune'));
    assert.deepEqual(r, { username: 'kari', role: 'sender-only', sender: 'Cli kommune', orgnr: ORGNR });
    const stored = await node().node.storage.config.getUser('kari');
    assert.equal(stored?.rolle, 'sender-only');
    assert.equal(stored?.avsender, 'Cli kommune');
    assert.ok(stored !== undefined && !stored.passordHash.includes('et-langt-passord'), 'only a hash is stored');
  });

  it('bad usage exits 2 with the usage text', async () => {
    // Each start costs a second or two of tsx compiling: one case per kind of mistake.
    const cases: string[][] = [
      ['sender', 'delete', '--name', 'X'],
      ['sender', 'create', '--name', 'X', '--bogus', 'y'],
      ['sender', 'create'],
      ['user', 'create', '--username', 'ola', '--password', 'et-langt-passord', '--role', 'sjef'],
    ];
    const results = await Promise.all(cases.map((args) => cli(dataDir, ...args)));
    results.forEach((r, i) => {
      assert.equal(r.code, 2, `${cases[i]?.join(' ')}: ${r.stderr}`);
      assert.equal(r.stdout, '');
      assert.ok(r.stderr.includes(USAGE_START), r.stderr);
    });
    assert.match(results[2]?.stderr ?? '', /^--name mangler\n/);
    assert.match(results[3]?.stderr ?? '', /^Ukjent rolle 'sjef'\n/);
  });

  it('errors exit 1 with a Norwegian message naming the problem', async () => {
    const [duplicate, badOrgnr, userForUnknown, terminalEscapes] = await Promise.all([
      cli(dataDir, 'sender', 'create', '--name', 'Cli kommune'),
      cli(dataDir, 'sender', 'create', '--name', 'Feil orgnr', '--orgnr', '974760674'),
      createSenderOnlyUser(dataDir, 'per', 'Finnes ikke'),
      // Clears the screen, sets the terminal's title, reverses what follows: shown, not done.
      createSenderOnlyUser(dataDir, 'kari', '\x1b[2J\x1b]0;tittel\x07Ond\u202ekommune'),
    ]);
    const expect = [
      [duplicate, "Avsender 'Cli kommune' finnes allerede"],
      [badOrgnr, 'Ugyldig organisasjonsnummer: orgnr må være 9 siffer med gyldig kontrollsiffer'],
      [userForUnknown, "Avsender 'Finnes ikke' finnes ikke"],
      [terminalEscapes, "Avsender '\\x1b[2J\\x1b]0;tittel\\x07Ond\\u202ekommune' finnes ikke"],
    ] as const;
    for (const [r, message] of expect) {
      assert.equal(r.code, 1, r.stderr);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, `${message}\n`);
    }
    // The refused create left the first sender as it was.
    assert.equal(
      (
        await restCall(
          node().url,
          { user: 'Cli kommune', password: String(created.servicePassword) },
          '/forsendelseTyper',
        )
      ).status,
      200,
    );
    assert.equal(await node().node.storage.config.getAvsender('Feil orgnr'), undefined);
  });
});
