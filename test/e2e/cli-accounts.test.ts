/**
 * The CLI's lists and password input, and its start-up messages about the configuration:
 * `sender list` / `user list` print one JSON object per line (never a hash); a password
 * comes from a hidden prompt on a terminal or from stdin with --password-stdin, never
 * waits for input that is not coming; a missing CONFIG_FILE, a value that is not a number
 * and a misspelt variable are each named in Norwegian.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { ORGNR } from '../factories.js';
import { embeddedCliEnvironment, REPO, runCli, type CliResult } from './cli-support.js';

/** The JSON lines of a successful run. */
function jsonLines(r: CliResult): Record<string, unknown>[] {
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  return r.stdout.trim() === ''
    ? []
    : r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('CLI: lists, passwords, configuration messages', () => {
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'budbringer-cli-accounts-'));
  });
  after(() => rm(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 }));

  it('a list on a DATA_DIR that does not exist (a typo) is refused, not answered with an empty new database', async () => {
    const typo = join(dataDir, 'skrivefeil');
    for (const args of [
      ['sender', 'list'],
      ['user', 'list'],
      ['key', 'list'],
    ]) {
      const r = await runCli(typo, args);
      assert.equal(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /Fant ingen DATA_DIR .*skrivefeil: peker DATA_DIR på riktig mappe\?/);
    }
    await assert.rejects(stat(typo), { code: 'ENOENT' });
  });

  it('sender list: one JSON line per avsender, by name, without the password', async () => {
    assert.deepEqual(jsonLines(await runCli(dataDir, ['sender', 'list'])), [], 'none yet');
    const b = jsonLines(await runCli(dataDir, ['sender', 'create', '--name', 'Bkommune', '--orgnr', ORGNR]))[0];
    jsonLines(await runCli(dataDir, ['sender', 'create', '--name', 'Akommune']));
    const list = jsonLines(await runCli(dataDir, ['sender', 'list']));
    assert.deepEqual(
      list.map((a) => [a.name, a.orgnr]),
      [
        ['Akommune', null],
        ['Bkommune', ORGNR],
      ],
    );
    for (const a of list) {
      assert.deepEqual(Object.keys(a).sort(), ['createdAt', 'kontoId', 'name', 'orgnr']);
      assert.ok(!Number.isNaN(Date.parse(String(a.createdAt))));
    }
    assert.ok(!JSON.stringify(list).includes(String(b?.servicePassword)));
  });

  it('user create --password-stdin reads the first line of stdin; user list shows the user without a hash', async () => {
    const created = jsonLines(
      await runCli(dataDir, ['user', 'create', '--username', 'stdin-bruker', '--role', 'admin', '--password-stdin'], {
        input: 'et-langt-passord\n',
      }),
    );
    assert.deepEqual(created, [{ username: 'stdin-bruker', role: 'admin', sender: null, orgnr: null }]);
    const list = jsonLines(await runCli(dataDir, ['user', 'list']));
    const user = list.find((u) => u.username === 'stdin-bruker');
    assert.ok(user !== undefined);
    assert.deepEqual(Object.keys(user).sort(), ['createdAt', 'orgnr', 'role', 'sender', 'username']);
    assert.doesNotMatch(JSON.stringify(list), /scrypt|passord|hash/i);
  });

  it('user create says on stderr when it replaces a user, and refuses an admin tied to a sender or a bad orgnr', async () => {
    const first = await runCli(
      dataDir,
      ['user', 'create', '--username', 'erstattes', '--role', 'admin', '--password-stdin'],
      {
        input: 'et-langt-passord\n',
      },
    );
    assert.equal(first.stderr, '');
    const again = await runCli(
      dataDir,
      [
        'user',
        'create',
        '--username',
        'erstattes',
        '--role',
        'local-admin',
        '--orgnr',
        '974760673',
        '--password-stdin',
      ],
      { input: 'et-annet-langt-passord\n' },
    );
    assert.equal(again.code, 0, again.stderr);
    assert.match(
      again.stderr,
      /^Advarsel: brukeren erstattes fantes fra før \(rolle admin\) og er erstattet: nytt passord, rolle local-admin/,
    );
    const adminWithSender = await runCli(
      dataDir,
      ['user', 'create', '--username', 'feil-admin', '--role', 'admin', '--orgnr', '974760673', '--password-stdin'],
      { input: 'et-langt-passord\n' },
    );
    assert.notEqual(adminWithSender.code, 0);
    assert.match(adminWithSender.stderr, /Rollen admin gjelder alle avsendere/);
    const badOrgnr = await runCli(
      dataDir,
      ['user', 'create', '--username', 'feil-orgnr', '--role', 'local-admin', '--orgnr', '123', '--password-stdin'],
      { input: 'et-langt-passord\n' },
    );
    assert.notEqual(badOrgnr.code, 0);
    assert.match(badOrgnr.stderr, /Ugyldig organisasjonsnummer: «123»/);
    const twin = await runCli(
      dataDir,
      ['user', 'create', '--username', 'ERSTATTES', '--role', 'admin', '--password-stdin'],
      { input: 'et-langt-passord\n' },
    );
    assert.notEqual(twin.code, 0);
    assert.match(twin.stderr, /«ERSTATTES» skiller seg bare i store og små bokstaver fra brukeren «erstattes»/);
    const users = jsonLines(await runCli(dataDir, ['user', 'list'])).map((u) => u.username);
    assert.ok(!users.includes('feil-admin') && !users.includes('feil-orgnr'), 'nothing created');
    assert.ok(!users.includes('ERSTATTES'), 'no user differing only in case');
  });

  it("user deactivate ends a user's access; CLI changes are in the audit log under cli:<OS user>", async () => {
    await runCli(dataDir, ['user', 'create', '--username', 'slutter', '--role', 'admin', '--password-stdin'], {
      input: 'et-langt-passord\n',
    });
    const off = await runCli(dataDir, ['user', 'deactivate', '--username', 'slutter']);
    assert.equal(off.code, 0, off.stderr);
    assert.deepEqual(JSON.parse(off.stdout), { username: 'slutter', deactivated: true, alreadyDeactivated: false });
    const again = await runCli(dataDir, ['user', 'deactivate', '--username', 'slutter']);
    assert.deepEqual(JSON.parse(again.stdout), { username: 'slutter', deactivated: true, alreadyDeactivated: true });
    const unknown = await runCli(dataDir, ['user', 'deactivate', '--username', 'finnes-ikke']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /Brukeren «finnes-ikke» finnes ikke/);
    const db = new Database(join(dataDir, 'budbringer.sqlite'), { readonly: true });
    try {
      const rows = db
        .prepare("SELECT bruker, handling, objekt FROM forvaltning_revisjonslogg WHERE objekt = 'slutter' ORDER BY id")
        .all() as { bruker: string; handling: string; objekt: string }[];
      assert.deepEqual(
        rows.map((r) => r.handling),
        ['bruker.opprettet', 'bruker.deaktivert'],
      );
      assert.match(rows[0]?.bruker ?? '', /^cli:/);
    } finally {
      db.close();
    }
  });

  it('without --password and without a terminal: refused at once with how to give one, nothing created', async () => {
    const r = await runCli(dataDir, ['user', 'create', '--username', 'uten-passord', '--role', 'admin']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.equal(
      r.stderr,
      'Passord mangler: oppgi --password, --password-stdin (passordet på standard inn) eller kjør kommandoen i en terminal\n',
    );
    const empty = await runCli(
      dataDir,
      ['user', 'create', '--username', 'uten-passord', '--role', 'admin', '--password-stdin'],
      { input: '' },
    );
    assert.equal(empty.code, 1);
    assert.match(empty.stderr, /Standard inn var tom/);
    assert.ok(!jsonLines(await runCli(dataDir, ['user', 'list'])).some((u) => u.username === 'uten-passord'));
  });

  it('on a terminal: asks twice without echoing, then creates the user', async () => {
    // util-linux `script` gives the command a pseudo-terminal, as an operator's shell has.
    const command = `${JSON.stringify(process.execPath)} bin/budbringer.mjs user create --username tty-bruker --role admin`;
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      cwd: REPO,
      env: { ...embeddedCliEnvironment(), DATA_DIR: dataDir },
    });
    let output = '';
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      // Typed only once asked: the prompt has turned echo off by then.
      if (output.endsWith('Passord: ')) child.stdin.write('et-hemmelig-passord\r');
      if (output.endsWith('Gjenta passord: ')) child.stdin.write('et-hemmelig-passord\r');
    });
    assert.equal(await exited, 0, output);
    assert.ok(output.includes('Passord: ') && output.includes('Gjenta passord: '), output);
    assert.ok(!output.includes('et-hemmelig-passord'), `the password is not echoed:\n${output}`);
    assert.ok(output.includes('{"username":"tty-bruker","role":"admin","sender":null,"orgnr":null}'), output);
  });

  it('a missing CONFIG_FILE: exit 2 and a Norwegian message naming the file and the variable, no stack trace', async () => {
    const r = await runCli(dataDir, ['sender', 'list'], { env: { CONFIG_FILE: '/finnes/ikke/budbringer.json' } });
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.equal(
      r.stderr,
      'Ugyldig konfigurasjon:\n  - /finnes/ikke/budbringer.json (CONFIG_FILE): filen finnes ikke\n',
    );
  });

  it('PORT=abc: says it is not a number (not that it is empty)', async () => {
    const r = await runCli(dataDir, ['sender', 'list'], { env: { PORT: 'abc' } });
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'Ugyldig konfigurasjon:\n  - PORT: må være et tall, ikke "abc"\n');
  });

  it('SMTP_ULR: a warning on stderr naming SMTP_URL; the command still runs and stdout stays JSON', async () => {
    const r = await runCli(dataDir, ['sender', 'list'], { env: { SMTP_ULR: 'smtp://mail.kommune.no' } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, 'Advarsel: SMTP_ULR: ukjent innstilling, blir ikke brukt; mente du SMTP_URL?\n');
    assert.equal(r.stdout.trim().split('\n').length, 2);
    for (const line of r.stdout.trim().split('\n')) JSON.parse(line);
  });
});
