/**
 * `budbringer backup` of a running embedded node under load, and `budbringer restore` into
 * a fresh DATA_DIR: a node started on the restored directory serves every letter that was
 * acknowledged before the backup began, with its status family, the same documents byte
 * for byte (REST v1 dokumentMetadata and download), and an inbox link handed out before the
 * backup still opens (the key came along).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeLetterPdf } from '../fixtures/letter-pdf.js';
import { embeddedCliEnvironment } from './cli-support.js';
import {
  ACCEPTED_OR_LATER,
  basic,
  eventually,
  FNR,
  restCall,
  restForsendelse,
  restSend,
  startTestNode,
  waitForStatus,
  type Creds,
  type TestNode,
} from '../factories.js';

const REPO = join(import.meta.dirname, '..', '..');

interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI on `dataDir` (a child process, as an operator would). */
function cli(dataDir: string, ...args: string[]): Promise<CliResult> {
  return cliWith(dataDir, {}, ...args);
}

/** `cli` with more environment variables. */
function cliWith(dataDir: string, extra: Record<string, string>, ...args: string[]): Promise<CliResult> {
  const env = embeddedCliEnvironment();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/budbringer.mjs', ...args],
      { cwd: REPO, env: { ...env, DATA_DIR: dataDir, ...extra } },
      (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
      },
    );
  });
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** One acknowledged letter: when the 200 came, and the document sent. */
interface Sent {
  readonly id: string;
  readonly tittel: string;
  readonly ackedAt: number;
  readonly sha256: string;
}

describe('backup under load, restore into a fresh DATA_DIR', () => {
  let dir: string;
  let original: TestNode | undefined;
  let restored: TestNode | undefined;
  let creds: Creds;
  const pdfs: Uint8Array[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-backup-'));
    // A registered recipient: letters are notified by e-mail (outbox), which carries the inbox link.
    const krr = {
      personer: [
        {
          personidentifikator: FNR[0],
          reservasjon: 'NEI',
          status: 'AKTIV',
          kontaktinformasjon: { epostadresse: 'kari@example.no' },
        },
      ],
    };
    await writeFile(join(dir, 'krr.json'), JSON.stringify(krr));
    original = await startTestNode({ KRR_FILE: join(dir, 'krr.json') }, join(dir, 'data'));
    creds = await original.sender('Backupkommune');
    for (let seed = 1; seed <= 6; seed++) pdfs.push(await makeLetterPdf({ seed: 90_000 + seed, pages: 1 }));
  });
  after(async () => {
    await original?.stop();
    await restored?.stop();
    await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  /** Sends letter `n` to the original node; returns it once acknowledged. */
  async function send(n: number): Promise<Sent> {
    assert.ok(original !== undefined);
    // Bytes of its own per letter (a comment after %%EOF), so each letter has a blob no
    // earlier letter stored: a backup that copied documents before its snapshot would miss some.
    const base = pdfs[n % pdfs.length] ?? new Uint8Array();
    const pdf = new Uint8Array(Buffer.concat([base, Buffer.from(`\n% brev ${n}\n`)]));
    const tittel = `Brev nummer ${n}`;
    const r = await restSend(original.url, creds, restForsendelse({ tittel }), [{ filename: 'brev.pdf', bytes: pdf }]);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return { id: String(r.body.id), tittel, ackedAt: Date.now(), sha256: sha256(pdf) };
  }

  /** The inbox link in the newest e-mail of the original node's outbox. */
  async function someInboxLink(): Promise<string> {
    const outbox = join(dir, 'data', 'outbox');
    return eventually(
      async () => {
        const emls = (await readdir(outbox).catch(() => [] as string[])).filter((n) => n.endsWith('.eml'));
        for (const f of emls) {
          const raw = (await readFile(join(outbox, f), 'utf8')).replace(/=\r?\n/g, '').replace(/=3D/g, '=');
          const m = /http:\/\/127\.0\.0\.1:\d+(\/innboks\/[A-Za-z0-9_.-]+)/.exec(raw);
          if (m?.[1] !== undefined) return m[1];
        }
        return undefined;
      },
      15_000,
      'an e-mail with an inbox link',
    );
  }

  it('every letter acknowledged before the backup began is served by a node on the restored DATA_DIR, documents byte-identical, old inbox links open', async () => {
    assert.ok(original !== undefined);
    const node = original;
    const sent: Sent[] = [];
    for (let n = 0; n < 4; n++) sent.push(await send(n));
    await waitForStatus(node.url, creds, sent[0]?.id ?? '', ['VARSLET', 'LEST']);
    const linkPath = await someInboxLink();
    const before_ = await fetch(`${node.url}${linkPath}`);
    assert.equal(before_.status, 200);
    const pageTitle = /Brev nummer \d+/.exec(await before_.text())?.[0];
    assert.ok(pageTitle !== undefined, 'the inbox page names its letter');

    // Load: two senders keep sending while the backup runs.
    let sending = true;
    let n = 100;
    const load = Promise.all(
      [0, 1].map(async () => {
        while (sending) sent.push(await send(n++));
      }),
    );
    const backupDir = join(dir, 'backup');
    const backupBegan = Date.now();
    const backup = await cli(join(dir, 'data'), 'backup', backupDir);
    const backupEnded = Date.now();
    sending = false;
    await load;
    assert.equal(backup.code, 0, backup.stderr);
    assert.equal(backup.stderr, '');
    const ackedDuring = sent.filter((s) => s.ackedAt > backupBegan && s.ackedAt < backupEnded).length;
    assert.ok(ackedDuring > 0, 'letters were acknowledged while the backup ran');

    const manifest = JSON.parse(backup.stdout) as Record<string, any>;
    assert.equal(manifest.format, 'budbringer-backup/1');
    assert.equal(manifest.version, JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8')).version);
    assert.equal(manifest.database.sha256, sha256(await readFile(join(backupDir, 'budbringer.sqlite'))));
    assert.deepEqual(manifest.files, ['secret.key']);
    // Personal data and the signing key: readable by the owner only.
    assert.equal((await stat(backupDir)).mode & 0o777, 0o700);
    assert.equal((await stat(join(backupDir, 'budbringer.sqlite'))).mode & 0o777, 0o600);
    assert.equal((await stat(join(backupDir, 'files', 'secret.key'))).mode & 0o777, 0o600);
    const ackedBefore = sent.filter((s) => s.ackedAt < backupBegan);
    assert.ok(manifest.counts.forsendelser >= ackedBefore.length, JSON.stringify(manifest.counts));
    assert.deepEqual(JSON.parse(await readFile(join(backupDir, 'manifest.json'), 'utf8')), manifest);
    // The blob totals are what was copied (the byte sum once raced to the last file's size).
    const copied = await filesUnder(join(backupDir, 'blobs'));
    assert.equal(manifest.blobs.files, copied.length);
    assert.equal(
      manifest.blobs.bytes,
      (await Promise.all(copied.map(async (f) => (await stat(f)).size))).reduce((a, b) => a + b, 0),
    );

    // The original node took every one of them on (the family the restored node must reach too).
    for (const s of ackedBefore) await waitForStatus(node.url, creds, s.id, ACCEPTED_OR_LATER);
    await node.stop();
    original = undefined;

    const restoredDir = join(dir, 'restored');
    const restore = await cli(restoredDir, 'restore', backupDir);
    assert.equal(restore.code, 0, restore.stderr);
    assert.deepEqual(JSON.parse(restore.stdout), manifest);
    // Owner only, as a node makes it: the files hold personal data (restore made them 0755/0644).
    assert.equal((await stat(restoredDir)).mode & 0o777, 0o700);
    assert.equal((await stat(join(restoredDir, 'blobs'))).mode & 0o777, 0o700);
    for (const name of manifest.files) assert.equal((await stat(join(restoredDir, name))).mode & 0o777, 0o600, name);
    restored = await startTestNode({ KRR_FILE: join(dir, 'krr.json') }, restoredDir);
    const url = restored.url;
    // The version an operator checks after an upgrade or restore.
    assert.deepEqual(await (await fetch(`${url}/healthz`)).json(), { status: 'ok', version: manifest.version });

    for (const s of ackedBefore) {
      const status = await restCall(url, creds, `/${s.id}/status`);
      assert.equal(status.status, 200, `${s.tittel}: ${JSON.stringify(status.body)}`);
      // A letter acknowledged just before the snapshot may still be MOTTATT in it: the
      // restored node carries on with its queued work and takes it on.
      await waitForStatus(url, creds, s.id, ACCEPTED_OR_LATER);
      const meta = await restCall(url, creds, `/${s.id}/dokumentMetadata`);
      assert.equal(meta.status, 200);
      assert.equal(meta.body.dokumentMetadata[0].sha256hash, s.sha256, s.tittel);
      const download = await fetch(meta.body.dokumentMetadata[0].nedlasningsUrl as string, {
        headers: { authorization: basic(creds) },
      });
      assert.equal(download.status, 200, s.tittel);
      assert.equal(sha256(new Uint8Array(await download.arrayBuffer())), s.sha256, `${s.tittel}: downloaded bytes`);
    }
    // Letters acknowledged while the backup ran may or may not be in it; each one that is
    // must have its documents (the snapshot's letters' documents are all in the backup).
    for (const s of sent.filter((x) => x.ackedAt >= backupBegan)) {
      const meta = await restCall(url, creds, `/${s.id}/dokumentMetadata`);
      if (meta.status === 404) continue;
      assert.equal(meta.status, 200, `${s.tittel}: ${JSON.stringify(meta.body)}`);
      const download = await fetch(meta.body.dokumentMetadata[0].nedlasningsUrl as string, {
        headers: { authorization: basic(creds) },
      });
      assert.equal(download.status, 200, `${s.tittel}: in the backup without its document`);
      assert.equal(sha256(new Uint8Array(await download.arrayBuffer())), s.sha256, `${s.tittel}: downloaded bytes`);
    }
    const after_ = await fetch(`${url}${linkPath}`);
    assert.equal(after_.status, 200, 'the inbox link made before the backup opens on the restored node');
    assert.ok((await after_.text()).includes(pageTitle), 'and shows the same letter');
  });

  it('restore refuses a DATA_DIR that is not empty without --force, and a damaged backup', async () => {
    const backupDir = join(dir, 'backup');
    const busy = join(dir, 'busy');
    await mkdir(busy, { recursive: true });
    await writeFile(join(busy, 'noe.txt'), 'x');
    const refused = await cli(busy, 'restore', backupDir);
    assert.equal(refused.code, 1);
    assert.equal(refused.stdout, '');
    assert.match(refused.stderr, /er ikke tom: gjenopprett til en tom DATA_DIR, eller bruk --force/);
    assert.deepEqual(await readdir(busy), ['noe.txt'], 'nothing was written');

    const notBackup = await cli(join(dir, 'fresh-1'), 'restore', busy);
    assert.equal(notBackup.code, 1);
    assert.match(notBackup.stderr, /manifest\.json: mappen er ikke en ferdig sikkerhetskopi/);

    const manifest = JSON.parse(await readFile(join(backupDir, 'manifest.json'), 'utf8')) as Record<string, any>;
    await writeFile(
      join(backupDir, 'manifest.json'),
      JSON.stringify({ ...manifest, database: { ...manifest.database, sha256: '0'.repeat(64) } }),
    );
    const damaged = await cli(join(dir, 'fresh-2'), 'restore', backupDir);
    assert.equal(damaged.code, 1);
    assert.match(damaged.stderr, /kopien er skadet/);

    const forced = await cli(busy, 'restore', '--force', backupDir);
    assert.equal(forced.code, 1, 'the damaged backup is still refused with --force');
    await writeFile(join(backupDir, 'manifest.json'), JSON.stringify(manifest));
    const ok = await cli(busy, 'restore', '--force', backupDir);
    assert.equal(ok.code, 0, ok.stderr);
    assert.ok((await readdir(busy)).includes('budbringer.sqlite'));
  });

  it('restore refuses a DATA_DIR a running node uses, even with --force; a mark left by a node killed a while ago does not block', async () => {
    assert.ok(restored !== undefined);
    const backupDir = join(dir, 'backup');
    const dataDir = join(dir, 'restored');
    const before = await stat(join(dataDir, 'budbringer.sqlite'));
    const refused = await cli(dataDir, 'restore', '--force', backupDir);
    assert.equal(refused.code, 1);
    assert.match(
      refused.stderr,
      new RegExp(`Budbringer kjører på .* \\(prosess ${process.pid}\\): stopp noden før gjenoppretting`),
    );
    const after_ = await stat(join(dataDir, 'budbringer.sqlite'));
    assert.equal(after_.ino, before.ino, 'the running node’s database was not replaced');
    assert.equal((await restCall(restored.url, creds, '/forsendelseTyper')).status, 200, 'and it still answers');

    // A mark is known by its heartbeat, whatever host wrote it (a restore in a new container on
    // the node's volume has another host name; one with the node's host name may have another
    // process namespace, where pid 1 is both): a fresh mark blocks, one not touched for 30 s
    // (a node killed with SIGKILL a while ago) does not.
    const longAgo = new Date(Date.now() - 60_000);
    for (const [name, host, pid] of [
      ['elsewhere', 'budbringer-node-1', 1],
      ['here', hostname(), 2 ** 22 + 17], // above Linux's default pid_max: never a live process
    ] as const) {
      const data = join(dir, name);
      const mark = join(data, 'run', `${host}-${pid}-0a1b2c3d.json`);
      await mkdir(join(data, 'run'), { recursive: true });
      await writeFile(mark, JSON.stringify({ pid, host, startedAt: Date.now() }));
      const blocked = await cli(data, 'restore', '--force', backupDir);
      assert.equal(blocked.code, 1, blocked.stderr);
      assert.match(blocked.stderr, new RegExp(`Budbringer kjører på .* \\(prosess ${pid}`));
      await utimes(mark, longAgo, longAgo);
      const unblocked = await cli(data, 'restore', '--force', backupDir);
      assert.equal(unblocked.code, 0, unblocked.stderr);
    }
  });

  it('backup and restore refuse cluster mode (MongoDB has its own tools), before connecting anywhere', async () => {
    const env = { MONGODB_URI: 'mongodb://127.0.0.1:1/budbringer', REDIS_URL: 'redis://127.0.0.1:1' };
    for (const args of [
      ['backup', join(dir, 'b3')],
      ['restore', join(dir, 'backup')],
    ]) {
      const r = await cliWith(join(dir, 'cluster'), env, ...args);
      assert.equal(r.code, 1, r.stderr);
      assert.equal(
        r.stderr,
        'backup og restore gjelder innebygd modus (DATA_DIR); i klyngemodus tas sikkerhetskopi med mongodump (se docs/operations.md)\n',
      );
    }
  });

  it('with jobs in Redis, backup and restore warn on stderr that the queue is not in the backup', async () => {
    const withRedis = await cliWith(
      join(dir, 'med-redis'),
      { REDIS_URL: 'redis://127.0.0.1:1' },
      'backup',
      join(dir, 'b5'),
    );
    assert.match(
      withRedis.stderr,
      /^Advarsel: jobbkøen ligger i Redis \(REDIS_URL\) og er ikke med i sikkerhetskopien/,
    );
    const without = await cli(join(dir, 'med-redis'), 'backup', join(dir, 'b6'));
    assert.doesNotMatch(without.stderr, /jobbkøen/);
    assert.doesNotMatch(without.stderr, /SECRET/);
  });

  it('with SECRET in the environment, backup warns on stderr that it is not in the backup', async () => {
    const r = await cliWith(join(dir, 'med-secret'), { SECRET: 'k'.repeat(40) }, 'backup', join(dir, 'b7'));
    assert.match(r.stderr, /^Advarsel: SECRET er satt i miljøet og er ikke med i sikkerhetskopien/);
  });

  it('backup refuses a directory without a database, and a target that is not empty', async () => {
    const empty = await cli(join(dir, 'no-data'), 'backup', join(dir, 'b2'));
    assert.equal(empty.code, 1);
    assert.match(empty.stderr, /Fant ingen database i .*no-data/);
    const nonEmpty = await cli(join(dir, 'restored'), 'backup', join(dir, 'backup'));
    assert.equal(nonEmpty.code, 1);
    assert.match(nonEmpty.stderr, /er ikke tom: ta sikkerhetskopien til en ny eller tom mappe/);
  });
});

/** Every file under `dir`, at any depth. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('backup and restore with a document file damaged on disk', () => {
  let dir: string;
  let node: TestNode | undefined;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-backup-damaged-'));
  });
  after(async () => {
    await node?.stop();
    await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  it('backup leaves a damaged file out and names it with its letter (exit 1); restore brings back the rest and names what it could not (it refused the whole backup; found in review)', async () => {
    const dataDir = join(dir, 'data');
    node = await startTestNode({}, dataDir);
    const creds = await node.sender('Skadekommune');
    const letters: { id: string; sha256: string }[] = [];
    const pdfs = new Map<string, Uint8Array>();
    const pdfOf = (l: { id: string }): Uint8Array => pdfs.get(l.id) ?? new Uint8Array();
    for (const n of [1, 2, 3]) {
      const pdf = await makeLetterPdf({ seed: 95_000 + n, pages: 1 });
      const r = await restSend(node.url, creds, restForsendelse({ tittel: `Brev ${n}` }), [
        { filename: 'brev.pdf', bytes: pdf },
      ]);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      letters.push({ id: String(r.body.id), sha256: sha256(pdf) });
      pdfs.set(String(r.body.id), pdf);
    }
    for (const l of letters) await waitForStatus(node.url, creds, l.id, ACCEPTED_OR_LATER, 60_000);
    const [first, second, third] = letters as [(typeof letters)[0], (typeof letters)[0], (typeof letters)[0]];
    const at = (root: string, sha: string): string => join(root, 'blobs', sha.slice(0, 2), sha.slice(2, 4), sha);
    /** One byte changed, the size kept: what a bad disk or a torn copy leaves. */
    const damage = async (path: string): Promise<void> => {
      const bytes = await readFile(path);
      bytes[bytes.length - 20] = (bytes[bytes.length - 20] ?? 0) ^ 1;
      await writeFile(path, bytes);
    };
    await damage(at(dataDir, first.sha256));

    const backupDir = join(dir, 'backup');
    const backup = await cli(dataDir, 'backup', backupDir);
    assert.equal(backup.code, 1, 'the backup says something is wrong');
    const manifest = JSON.parse(backup.stdout) as { damaged?: { sha256: string; owners: string[] }[] };
    assert.deepEqual(manifest.damaged, [{ sha256: first.sha256, owners: [first.id] }]);
    assert.match(backup.stderr, new RegExp(`${first.sha256}: brukt av ${first.id}`));
    await assert.rejects(stat(at(backupDir, first.sha256)), 'the damaged file is not in the backup');
    assert.equal(sha256(await readFile(at(backupDir, second.sha256))), second.sha256, 'the others are');

    // Damaged in the backup as well, after it was written.
    await damage(at(backupDir, second.sha256));
    const restoredDir = join(dir, 'restored');
    const restore = await cli(restoredDir, 'restore', backupDir);
    assert.equal(restore.code, 1, restore.stderr);
    const restoredManifest = JSON.parse(restore.stdout) as { damaged?: { sha256: string; owners: string[] }[] };
    assert.deepEqual(
      restoredManifest.damaged?.map((d) => d.sha256).sort(),
      [first.sha256, second.sha256].sort(),
      'both named',
    );
    assert.match(restore.stderr, new RegExp(`${second.sha256}: brukt av ${second.id}`));
    assert.ok((await readdir(restoredDir)).includes('budbringer.sqlite'), 'the database is restored');
    assert.equal(sha256(await readFile(at(restoredDir, third.sha256))), third.sha256, 'an intact document is');
    await assert.rejects(stat(at(restoredDir, second.sha256)), 'a damaged one is not placed');

    // Both put back into the backup from good copies: it restores whole (it was refused as
    // holding more files than its manifest; found in review).
    for (const l of [first, second]) {
      await mkdir(join(at(backupDir, l.sha256), '..'), { recursive: true });
      await writeFile(at(backupDir, l.sha256), pdfOf(l));
    }
    const repairedDir = join(dir, 'repaired');
    const repaired = await cli(repairedDir, 'restore', backupDir);
    assert.equal(repaired.code, 0, repaired.stderr);
    assert.equal((JSON.parse(repaired.stdout) as { damaged?: unknown }).damaged, undefined);
    for (const l of letters) assert.equal(sha256(await readFile(at(repairedDir, l.sha256))), l.sha256);
  });
});

describe('backup and restore of letters waiting in the print drop', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'budbringer-backup-print-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  it('puts a drop the provider had not taken yet back into the print folder (lost with DATA_DIR, its letter stayed SENDT_PRINT unprinted; found in review)', async () => {
    const dataDir = join(dir, 'data');
    const node = await startTestNode({}, dataDir);
    let id: string;
    try {
      const creds = await node.sender('Utskriftskommune');
      // No contact register: the letter goes on paper at once, into DATA_DIR/print.
      const r = await restSend(node.url, creds, restForsendelse({ tittel: 'Til utskrift' }), [
        { filename: 'brev.pdf', bytes: await makeLetterPdf({ seed: 96_001, pages: 1 }) },
      ]);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      id = String(r.body.id);
      await waitForStatus(node.url, creds, id, 'SENDT_PRINT', 60_000);
    } finally {
      await node.stop();
    }
    const dropped = await readFile(join(dataDir, 'print', `${id}.pdf`));
    const backupDir = join(dir, 'backup');
    const backup = await cli(dataDir, 'backup', backupDir);
    assert.equal(backup.code, 0, backup.stderr);
    const listed = (JSON.parse(backup.stdout) as { printDrops?: { id: string; pdf: string }[] }).printDrops;
    assert.deepEqual(
      listed?.map((d) => [d.id, d.pdf]),
      [[id, sha256(dropped)]],
    );

    const restoredDir = join(dir, 'restored');
    const restore = await cli(restoredDir, 'restore', backupDir);
    assert.equal(restore.code, 0, restore.stderr);
    assert.deepEqual((await readdir(join(restoredDir, 'print'))).sort(), [`${id}.json`, `${id}.pdf`]);
    assert.ok((await readFile(join(restoredDir, 'print', `${id}.pdf`))).equals(dropped), 'the same print copy');
    const manifest = JSON.parse(await readFile(join(restoredDir, 'print', `${id}.json`), 'utf8')) as {
      forsendelseId?: string;
    };
    assert.equal(manifest.forsendelseId, id);

    // Its PDF changed in the backup since: not put back, and restore says which letter (exit 1).
    await writeFile(join(backupDir, 'print', `${id}.pdf`), dropped.subarray(0, 1000));
    const changedDir = join(dir, 'changed');
    const changed = await cli(changedDir, 'restore', backupDir);
    assert.equal(changed.code, 1, changed.stderr);
    assert.match(changed.stderr, new RegExp(`ble ikke lagt tilbake; de er ikke skrevet ut: ${id}`));
    assert.deepEqual(await readdir(join(changedDir, 'print')).catch(() => []), [], 'nothing half put back');

    // A manifest whose list is not one is refused before anything is written (it crashed half-way).
    const written = JSON.parse(await readFile(join(backupDir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(join(backupDir, 'manifest.json'), JSON.stringify({ ...written, printDrops: [null] }));
    const hostileDir = join(dir, 'hostile');
    const hostile = await cli(hostileDir, 'restore', backupDir);
    assert.equal(hostile.code, 1);
    assert.match(hostile.stderr, /manifest\.json: printDrops må være en liste/);
    assert.doesNotMatch(hostile.stderr, /TypeError/);
    assert.deepEqual(await readdir(hostileDir).catch(() => []), [], 'nothing written');
  });
});
