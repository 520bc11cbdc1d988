/**
 * Every CLI command answers `--help` in Norwegian on stdout, exits 0, and reads no settings
 * (a broken configuration does not stop the help). One case per command.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli } from './cli-support.js';

/** Each command, and what its help must say. */
const COMMANDS: ReadonlyArray<readonly [readonly string[], readonly string[]]> = [
  [
    [],
    [
      'Bruk: budbringer [valg] [kommando]',
      'Kommandoer:',
      'sender',
      'user',
      'mottakersystem',
      'integration',
      'backup <mappe>',
      'restore [valg] <mappe>',
      'key',
      'uten kommando: starter en node',
    ],
  ],
  [['sender'], ['Bruk: budbringer sender [valg] [kommando]', 'create [valg]', 'rotate-password [valg]', 'list']],
  [
    ['sender', 'create'],
    ['Bruk: budbringer sender create [valg]', '--name <navn>', '--orgnr <orgnr>', 'tjenestepassordet'],
  ],
  [
    ['sender', 'rotate-password'],
    ['Bruk: budbringer sender rotate-password [valg]', '--name <navn>', 'det gamle slutter å virke straks'],
  ],
  [
    ['sender', 'list'],
    ['Bruk: budbringer sender list', 'én JSON-linje hver'],
  ],
  [['user'], ['Bruk: budbringer user [valg] [kommando]', 'create [valg]', 'deactivate [valg]', 'list']],
  [
    ['user', 'create'],
    [
      'Bruk: budbringer user create [valg]',
      '--username <bruker>',
      '--role <rolle>',
      'admin, local-admin, sender-only',
      '--password-stdin',
      'uten --password spørres det etter passordet i terminalen',
    ],
  ],
  [
    ['user', 'deactivate'],
    ['Bruk: budbringer user deactivate [valg]', '--username <bruker>', 'innloggingene avsluttes'],
  ],
  [
    ['user', 'list'],
    ['Bruk: budbringer user list', 'én JSON-linje hver'],
  ],
  [
    ['mottakersystem'],
    ['Bruk: budbringer mottakersystem [valg] [kommando]', 'create [valg]', 'list', 'rotate-password'],
  ],
  [
    ['mottakersystem', 'create'],
    [
      'Bruk: budbringer mottakersystem create [valg]',
      '--orgnr <orgnr>',
      '--name <navn>',
      '--cert <fil>',
      '--forsendelsestype <type>',
      '--niva <nivå>',
      '--epost <adresse>',
      'brukernavnet i SvarInn',
    ],
  ],
  [
    ['mottakersystem', 'list'],
    ['Bruk: budbringer mottakersystem list', 'én JSON-linje hver'],
  ],
  [
    ['mottakersystem', 'update'],
    ['Bruk: budbringer mottakersystem update [valg]', '--id <id>', '--niva <nivå>', 'det som ikke oppgis, beholdes'],
  ],
  [
    ['mottakersystem', 'rotate-password'],
    ['Bruk: budbringer mottakersystem rotate-password [valg]', '--id <id>', 'det gamle slutter å virke straks'],
  ],
  [
    ['integration'],
    ['Bruk: budbringer integration [valg] [kommando]', 'create [valg]', 'list', 'grant [valg]', 'rotate-password'],
  ],
  [
    ['integration', 'create'],
    [
      'Bruk: budbringer integration create [valg]',
      '--sender <navn>',
      '--org <orgnr...>',
      'vises bare denne ene gangen',
      'kontoId',
    ],
  ],
  [
    ['integration', 'list'],
    ['Bruk: budbringer integration list', 'én JSON-linje hver'],
  ],
  [
    ['integration', 'grant'],
    ['Bruk: budbringer integration grant [valg]', '--id <integrasjonId>', '--sender <navn>'],
  ],
  [
    ['integration', 'revoke'],
    ['Bruk: budbringer integration revoke [valg]', 'tar fra integrasjonen tilgangen'],
  ],
  [
    ['integration', 'add-org'],
    [
      'Bruk: budbringer integration add-org [valg]',
      '--id <integrasjonId>',
      '--orgnr <orgnr>',
      'consumer i Maskinporten-tokenet',
    ],
  ],
  [
    ['integration', 'remove-org'],
    ['Bruk: budbringer integration remove-org [valg]', 'lar ikke lenger organisasjonen kalle'],
  ],
  [
    ['integration', 'rotate-password'],
    ['Bruk: budbringer integration rotate-password [valg]', 'det gamle slutter å virke straks'],
  ],
  [['backup'], ['Bruk: budbringer backup [valg] <mappe>', 'Argumenter:', 'mens noden kjører']],
  [['restore'], ['Bruk: budbringer restore [valg] <mappe>', '--force', 'stopp noden først']],
  [['requeue'], ['Bruk: budbringer requeue [valg]', '--bare-fyll', 'etter mongorestore']],
  [['key'], ['Bruk: budbringer key [valg] [kommando]', 'list', 'rotate', '/forsendelse/publickey/hent']],
  [
    ['key', 'list'],
    ['Bruk: budbringer key list', 'én JSON-linje hver'],
  ],
  [
    ['key', 'rotate'],
    ['Bruk: budbringer key rotate', 'de gamle beholdes for dekryptering'],
  ],
];

describe('CLI --help', () => {
  for (const [command, expected] of COMMANDS) {
    it(`budbringer ${[...command, '--help'].join(' ')}`, async () => {
      // PORT=abc would stop any command that reads the settings; help does not.
      const r = await runCli('/nonexistent/budbringer-help', [...command, '--help'], { env: { PORT: 'abc' } });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, '');
      // Descriptions wrap at the terminal width: compare with runs of spaces as one.
      const text = r.stdout.replace(/\s+/g, ' ');
      for (const e of expected) assert.ok(text.includes(e), `'${e}' in:\n${r.stdout}`);
      assert.match(r.stdout, /Valg:\n/);
      assert.match(r.stdout, /-h, --help\s+vis hjelp for kommandoen/);
      // No English left from commander: its headings and default texts.
      assert.doesNotMatch(r.stdout, /Usage:|Options:|Commands:|Arguments:|display help|\[options\]|\[command\]/);
    });
  }
});

describe('CLI overview', () => {
  it('every subcommand a group lists has its case above', async () => {
    for (const [command] of COMMANDS) {
      if (command.length !== 1) continue;
      const r = await runCli('/nonexistent/budbringer-help', [...command, '--help'], { env: { PORT: 'abc' } });
      const listed = r.stdout.split('Kommandoer:\n')[1] ?? '';
      for (const [, sub] of listed.matchAll(/^ {2}([a-z-]+)/gm)) {
        if (sub === 'help') continue;
        assert.ok(
          COMMANDS.some(([c]) => c.length === 2 && c[0] === command[0] && c[1] === sub),
          `budbringer ${command[0]} ${sub}`,
        );
      }
    }
  });

  it('the overview after the top-level help names every subcommand', async () => {
    const r = await runCli('/nonexistent/budbringer-help', ['--help'], { env: { PORT: 'abc' } });
    assert.equal(r.code, 0, r.stderr);
    const overview = r.stdout.slice(r.stdout.lastIndexOf('Bruk:\n'));
    for (const [command] of COMMANDS) {
      if (command.length !== 2) continue;
      const [group, sub] = command;
      // `grant|revoke` names both.
      const line = new RegExp(`^  budbringer ${group} (\\S+\\|)?${sub}(\\|\\S+)?( |$)`, 'm');
      assert.match(overview, line, `budbringer ${group} ${sub}`);
    }
  });
});

describe('CLI help as a command', () => {
  it('`help` and `help <kommando>` show the help and exit 0; a group without its subcommand is wrong usage (2)', async () => {
    const all = await runCli('/nonexistent/budbringer-help', ['help'], { env: { PORT: 'abc' } });
    assert.equal(all.code, 0, all.stderr);
    assert.match(all.stdout + all.stderr, /Bruk: budbringer/);
    const sender = await runCli('/nonexistent/budbringer-help', ['help', 'sender'], { env: { PORT: 'abc' } });
    assert.equal(sender.code, 0, sender.stderr);
    assert.match(sender.stdout + sender.stderr, /Bruk: budbringer sender/);
    const group = await runCli('/nonexistent/budbringer-help', ['sender'], { env: { PORT: 'abc' } });
    assert.equal(group.code, 2);
  });
});
